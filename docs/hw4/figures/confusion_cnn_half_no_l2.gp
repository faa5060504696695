set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_cnn_half_no_l2.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.634 0 0.028 0.059 0.004 0.002 0.267 0.004 0.002 0 
0 0.891 0.015 0.065 0.003 0 0.026 0 0 0 
0.003 0 0.729 0.007 0.044 0 0.217 0 0 0 
0.018 0.006 0.014 0.798 0.011 0 0.153 0 0 0 
0 0 0.309 0.059 0.281 0 0.35 0 0.001 0 
0 0 0 0 0 0.424 0.005 0.503 0 0.068 
0.112 0.002 0.165 0.029 0.026 0 0.661 0.003 0.002 0 
0 0 0 0 0 0 0 0.978 0 0.022 
0 0.001 0.019 0.024 0.006 0.003 0.121 0.07 0.754 0.002 
0 0 0 0.002 0 0 0 0.154 0.001 0.843 
EOD
$c << EOD
0 0 634 0xffffff
1 0 0 0x333333
2 0 28 0x333333
3 0 59 0x333333
4 0 4 0x333333
5 0 2 0x333333
6 0 267 0x333333
7 0 4 0x333333
8 0 2 0x333333
9 0 0 0x333333
0 1 0 0x333333
1 1 891 0xffffff
2 1 15 0x333333
3 1 65 0x333333
4 1 3 0x333333
5 1 0 0x333333
6 1 26 0x333333
7 1 0 0x333333
8 1 0 0x333333
9 1 0 0x333333
0 2 3 0x333333
1 2 0 0x333333
2 2 729 0xffffff
3 2 7 0x333333
4 2 44 0x333333
5 2 0 0x333333
6 2 217 0x333333
7 2 0 0x333333
8 2 0 0x333333
9 2 0 0x333333
0 3 18 0x333333
1 3 6 0x333333
2 3 14 0x333333
3 3 798 0xffffff
4 3 11 0x333333
5 3 0 0x333333
6 3 153 0x333333
7 3 0 0x333333
8 3 0 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 0 0x333333
2 4 309 0x333333
3 4 59 0x333333
4 4 281 0x333333
5 4 0 0x333333
6 4 350 0x333333
7 4 0 0x333333
8 4 1 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 0 0x333333
4 5 0 0x333333
5 5 424 0x333333
6 5 5 0x333333
7 5 503 0xffffff
8 5 0 0x333333
9 5 68 0x333333
0 6 112 0x333333
1 6 2 0x333333
2 6 165 0x333333
3 6 29 0x333333
4 6 26 0x333333
5 6 0 0x333333
6 6 661 0xffffff
7 6 3 0x333333
8 6 2 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 0 0x333333
6 7 0 0x333333
7 7 978 0xffffff
8 7 0 0x333333
9 7 22 0x333333
0 8 0 0x333333
1 8 1 0x333333
2 8 19 0x333333
3 8 24 0x333333
4 8 6 0x333333
5 8 3 0x333333
6 8 121 0x333333
7 8 70 0x333333
8 8 754 0xffffff
9 8 2 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 2 0x333333
4 9 0 0x333333
5 9 0 0x333333
6 9 0 0x333333
7 9 154 0x333333
8 9 1 0x333333
9 9 843 0xffffff
EOD
$p << EOD
0 0.634
1 0.891
2 0.729
3 0.798
4 0.281
5 0.424
6 0.661
7 0.978
8 0.754
9 0.843
EOD
set multiplot layout 1,2 title 'cnn_half_no_l2: test split, accuracy 69.93%'
set xtics ('T-shirt/top' 0, 'Trouser' 1, 'Pullover' 2, 'Dress' 3, 'Coat' 4, 'Sandal' 5, 'Shirt' 6, 'Sneaker' 7, 'Bag' 8, 'Ankle boot' 9) rotate by 45 right
set ytics ('T-shirt/top' 0, 'Trouser' 1, 'Pullover' 2, 'Dress' 3, 'Coat' 4, 'Sandal' 5, 'Shirt' 6, 'Sneaker' 7, 'Bag' 8, 'Ankle boot' 9)
set xrange [-0.5:9.5]
set yrange [9.5:-0.5]
set xlabel 'predicted'
set ylabel 'true class'
set cbrange [0:1]
set palette defined (0 '#ffffff', 1 '#08306b')
unset grid
plot $f matrix with image notitle, $c using 1:2:(sprintf('%d', $3)):4 with labels font ',8' tc rgb variable notitle
unset colorbox
set grid
set xrange [-0.5:9.5]
set yrange [0:1]
set ytics auto
set xlabel ''
set ylabel 'per-class accuracy'
set style fill solid 0.7
set boxwidth 0.7
plot $p using 1:2 with boxes lc rgb '#08519c' notitle
unset multiplot
