set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_cnn_half_lr1e-3.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.862 0.001 0.027 0.022 0.001 0 0.08 0 0.007 0 
0.001 0.971 0.001 0.024 0 0 0.002 0 0.001 0 
0.01 0 0.921 0.007 0.009 0 0.053 0 0 0 
0.021 0.007 0.034 0.885 0.021 0 0.028 0 0.003 0.001 
0.001 0.002 0.265 0.045 0.478 0 0.208 0 0.001 0 
0 0 0 0 0 0.944 0 0.041 0.001 0.014 
0.149 0 0.108 0.028 0.027 0 0.679 0 0.009 0 
0 0 0 0 0 0.003 0 0.991 0 0.006 
0.003 0.001 0.003 0.002 0.001 0 0.006 0.002 0.982 0 
0 0 0 0 0 0.004 0 0.09 0.001 0.905 
EOD
$c << EOD
0 0 862 0xffffff
1 0 1 0x333333
2 0 27 0x333333
3 0 22 0x333333
4 0 1 0x333333
5 0 0 0x333333
6 0 80 0x333333
7 0 0 0x333333
8 0 7 0x333333
9 0 0 0x333333
0 1 1 0x333333
1 1 971 0xffffff
2 1 1 0x333333
3 1 24 0x333333
4 1 0 0x333333
5 1 0 0x333333
6 1 2 0x333333
7 1 0 0x333333
8 1 1 0x333333
9 1 0 0x333333
0 2 10 0x333333
1 2 0 0x333333
2 2 921 0xffffff
3 2 7 0x333333
4 2 9 0x333333
5 2 0 0x333333
6 2 53 0x333333
7 2 0 0x333333
8 2 0 0x333333
9 2 0 0x333333
0 3 21 0x333333
1 3 7 0x333333
2 3 34 0x333333
3 3 885 0xffffff
4 3 21 0x333333
5 3 0 0x333333
6 3 28 0x333333
7 3 0 0x333333
8 3 3 0x333333
9 3 1 0x333333
0 4 1 0x333333
1 4 2 0x333333
2 4 265 0x333333
3 4 45 0x333333
4 4 478 0x333333
5 4 0 0x333333
6 4 208 0x333333
7 4 0 0x333333
8 4 1 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 0 0x333333
4 5 0 0x333333
5 5 944 0xffffff
6 5 0 0x333333
7 5 41 0x333333
8 5 1 0x333333
9 5 14 0x333333
0 6 149 0x333333
1 6 0 0x333333
2 6 108 0x333333
3 6 28 0x333333
4 6 27 0x333333
5 6 0 0x333333
6 6 679 0xffffff
7 6 0 0x333333
8 6 9 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 3 0x333333
6 7 0 0x333333
7 7 991 0xffffff
8 7 0 0x333333
9 7 6 0x333333
0 8 3 0x333333
1 8 1 0x333333
2 8 3 0x333333
3 8 2 0x333333
4 8 1 0x333333
5 8 0 0x333333
6 8 6 0x333333
7 8 2 0x333333
8 8 982 0xffffff
9 8 0 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 0 0x333333
4 9 0 0x333333
5 9 4 0x333333
6 9 0 0x333333
7 9 90 0x333333
8 9 1 0x333333
9 9 905 0xffffff
EOD
$p << EOD
0 0.862
1 0.971
2 0.921
3 0.885
4 0.478
5 0.944
6 0.679
7 0.991
8 0.982
9 0.905
EOD
set multiplot layout 1,2 title 'cnn_half_lr1e-3: test split, accuracy 86.18%'
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
