set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_cnn_half_bn_rows.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.577 0 0.002 0.03 0 0 0.382 0.006 0.003 0 
0.012 0.681 0.014 0.182 0 0 0.11 0 0.001 0 
0.006 0 0.49 0.004 0 0 0.499 0 0.001 0 
0.091 0.001 0 0.595 0 0 0.312 0.001 0 0 
0 0 0.272 0.022 0.005 0 0.698 0 0.003 0 
0 0 0 0.002 0 0.337 0.017 0.595 0.006 0.043 
0.104 0 0.079 0.013 0.001 0 0.796 0.001 0.006 0 
0 0 0 0 0 0 0 0.993 0 0.007 
0.001 0.001 0.005 0.013 0 0 0.149 0.034 0.797 0 
0 0 0.001 0.001 0 0 0.007 0.285 0.001 0.705 
EOD
$c << EOD
0 0 577 0xffffff
1 0 0 0x333333
2 0 2 0x333333
3 0 30 0x333333
4 0 0 0x333333
5 0 0 0x333333
6 0 382 0x333333
7 0 6 0x333333
8 0 3 0x333333
9 0 0 0x333333
0 1 12 0x333333
1 1 681 0xffffff
2 1 14 0x333333
3 1 182 0x333333
4 1 0 0x333333
5 1 0 0x333333
6 1 110 0x333333
7 1 0 0x333333
8 1 1 0x333333
9 1 0 0x333333
0 2 6 0x333333
1 2 0 0x333333
2 2 490 0x333333
3 2 4 0x333333
4 2 0 0x333333
5 2 0 0x333333
6 2 499 0x333333
7 2 0 0x333333
8 2 1 0x333333
9 2 0 0x333333
0 3 91 0x333333
1 3 1 0x333333
2 3 0 0x333333
3 3 595 0xffffff
4 3 0 0x333333
5 3 0 0x333333
6 3 312 0x333333
7 3 1 0x333333
8 3 0 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 0 0x333333
2 4 272 0x333333
3 4 22 0x333333
4 4 5 0x333333
5 4 0 0x333333
6 4 698 0xffffff
7 4 0 0x333333
8 4 3 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 2 0x333333
4 5 0 0x333333
5 5 337 0x333333
6 5 17 0x333333
7 5 595 0xffffff
8 5 6 0x333333
9 5 43 0x333333
0 6 104 0x333333
1 6 0 0x333333
2 6 79 0x333333
3 6 13 0x333333
4 6 1 0x333333
5 6 0 0x333333
6 6 796 0xffffff
7 6 1 0x333333
8 6 6 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 0 0x333333
6 7 0 0x333333
7 7 993 0xffffff
8 7 0 0x333333
9 7 7 0x333333
0 8 1 0x333333
1 8 1 0x333333
2 8 5 0x333333
3 8 13 0x333333
4 8 0 0x333333
5 8 0 0x333333
6 8 149 0x333333
7 8 34 0x333333
8 8 797 0xffffff
9 8 0 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 1 0x333333
3 9 1 0x333333
4 9 0 0x333333
5 9 0 0x333333
6 9 7 0x333333
7 9 285 0x333333
8 9 1 0x333333
9 9 705 0xffffff
EOD
$p << EOD
0 0.577
1 0.681
2 0.49
3 0.595
4 0.005
5 0.337
6 0.796
7 0.993
8 0.797
9 0.705
EOD
set multiplot layout 1,2 title 'cnn_half_bn_rows: test split, accuracy 59.76%'
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
