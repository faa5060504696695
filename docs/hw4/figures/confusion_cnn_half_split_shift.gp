set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_cnn_half_split_shift.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0 0 0.037 0 0 0 0.963 0 0 0 
0 0 0.006 0 0 0 0.994 0 0 0 
0 0 0.343 0 0 0 0.657 0 0 0 
0 0 0.009 0 0 0 0.991 0 0 0 
0 0 0.245 0 0 0 0.755 0 0 0 
0 0 0.907 0 0 0 0.093 0 0 0 
0 0 0.105 0 0 0 0.895 0 0 0 
0 0 0.996 0 0 0 0.004 0 0 0 
0 0 0.415 0 0 0 0.585 0 0 0 
0 0 0.576 0 0 0 0.424 0 0 0 
EOD
$c << EOD
0 0 0 0x333333
1 0 0 0x333333
2 0 37 0x333333
3 0 0 0x333333
4 0 0 0x333333
5 0 0 0x333333
6 0 963 0xffffff
7 0 0 0x333333
8 0 0 0x333333
9 0 0 0x333333
0 1 0 0x333333
1 1 0 0x333333
2 1 6 0x333333
3 1 0 0x333333
4 1 0 0x333333
5 1 0 0x333333
6 1 994 0xffffff
7 1 0 0x333333
8 1 0 0x333333
9 1 0 0x333333
0 2 0 0x333333
1 2 0 0x333333
2 2 343 0x333333
3 2 0 0x333333
4 2 0 0x333333
5 2 0 0x333333
6 2 657 0xffffff
7 2 0 0x333333
8 2 0 0x333333
9 2 0 0x333333
0 3 0 0x333333
1 3 0 0x333333
2 3 9 0x333333
3 3 0 0x333333
4 3 0 0x333333
5 3 0 0x333333
6 3 991 0xffffff
7 3 0 0x333333
8 3 0 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 0 0x333333
2 4 245 0x333333
3 4 0 0x333333
4 4 0 0x333333
5 4 0 0x333333
6 4 755 0xffffff
7 4 0 0x333333
8 4 0 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 907 0xffffff
3 5 0 0x333333
4 5 0 0x333333
5 5 0 0x333333
6 5 93 0x333333
7 5 0 0x333333
8 5 0 0x333333
9 5 0 0x333333
0 6 0 0x333333
1 6 0 0x333333
2 6 105 0x333333
3 6 0 0x333333
4 6 0 0x333333
5 6 0 0x333333
6 6 895 0xffffff
7 6 0 0x333333
8 6 0 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 996 0xffffff
3 7 0 0x333333
4 7 0 0x333333
5 7 0 0x333333
6 7 4 0x333333
7 7 0 0x333333
8 7 0 0x333333
9 7 0 0x333333
0 8 0 0x333333
1 8 0 0x333333
2 8 415 0x333333
3 8 0 0x333333
4 8 0 0x333333
5 8 0 0x333333
6 8 585 0xffffff
7 8 0 0x333333
8 8 0 0x333333
9 8 0 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 576 0xffffff
3 9 0 0x333333
4 9 0 0x333333
5 9 0 0x333333
6 9 424 0x333333
7 9 0 0x333333
8 9 0 0x333333
9 9 0 0x333333
EOD
$p << EOD
0 0
1 0
2 0.343
3 0
4 0
5 0
6 0.895
7 0
8 0
9 0
EOD
set multiplot layout 1,2 title 'cnn_half_split_shift: test split, accuracy 12.38%'
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
