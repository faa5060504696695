set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_new_a_model_40.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.837 0.002 0.014 0.034 0.005 0.001 0.091 0 0.016 0 
0.003 0.962 0.001 0.024 0.005 0 0.003 0 0.002 0 
0.019 0.002 0.78 0.008 0.118 0 0.067 0 0.006 0 
0.028 0.013 0.011 0.875 0.041 0 0.026 0 0.006 0 
0 0 0.1 0.032 0.805 0.001 0.054 0 0.008 0 
0 0 0 0.001 0 0.943 0 0.041 0.002 0.013 
0.138 0.002 0.103 0.034 0.088 0.001 0.613 0 0.021 0 
0 0 0 0 0 0.028 0 0.949 0 0.023 
0.003 0.001 0.006 0.004 0.006 0.004 0.008 0.005 0.963 0 
0 0 0 0 0 0.007 0.002 0.048 0 0.943 
EOD
$c << EOD
0 0 837 0xffffff
1 0 2 0x333333
2 0 14 0x333333
3 0 34 0x333333
4 0 5 0x333333
5 0 1 0x333333
6 0 91 0x333333
7 0 0 0x333333
8 0 16 0x333333
9 0 0 0x333333
0 1 3 0x333333
1 1 962 0xffffff
2 1 1 0x333333
3 1 24 0x333333
4 1 5 0x333333
5 1 0 0x333333
6 1 3 0x333333
7 1 0 0x333333
8 1 2 0x333333
9 1 0 0x333333
0 2 19 0x333333
1 2 2 0x333333
2 2 780 0xffffff
3 2 8 0x333333
4 2 118 0x333333
5 2 0 0x333333
6 2 67 0x333333
7 2 0 0x333333
8 2 6 0x333333
9 2 0 0x333333
0 3 28 0x333333
1 3 13 0x333333
2 3 11 0x333333
3 3 875 0xffffff
4 3 41 0x333333
5 3 0 0x333333
6 3 26 0x333333
7 3 0 0x333333
8 3 6 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 0 0x333333
2 4 100 0x333333
3 4 32 0x333333
4 4 805 0xffffff
5 4 1 0x333333
6 4 54 0x333333
7 4 0 0x333333
8 4 8 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 1 0x333333
4 5 0 0x333333
5 5 943 0xffffff
6 5 0 0x333333
7 5 41 0x333333
8 5 2 0x333333
9 5 13 0x333333
0 6 138 0x333333
1 6 2 0x333333
2 6 103 0x333333
3 6 34 0x333333
4 6 88 0x333333
5 6 1 0x333333
6 6 613 0xffffff
7 6 0 0x333333
8 6 21 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 28 0x333333
6 7 0 0x333333
7 7 949 0xffffff
8 7 0 0x333333
9 7 23 0x333333
0 8 3 0x333333
1 8 1 0x333333
2 8 6 0x333333
3 8 4 0x333333
4 8 6 0x333333
5 8 4 0x333333
6 8 8 0x333333
7 8 5 0x333333
8 8 963 0xffffff
9 8 0 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 0 0x333333
4 9 0 0x333333
5 9 7 0x333333
6 9 2 0x333333
7 9 48 0x333333
8 9 0 0x333333
9 9 943 0xffffff
EOD
$p << EOD
0 0.837
1 0.962
2 0.78
3 0.875
4 0.805
5 0.943
6 0.613
7 0.949
8 0.963
9 0.943
EOD
set multiplot layout 1,2 title 'new_a_model_40: test split, accuracy 86.70%'
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
