set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_cnn_half_bn_first.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.738 0 0.012 0.118 0.012 0.002 0.107 0.007 0.004 0 
0.001 0.84 0.013 0.134 0.009 0 0.003 0 0 0 
0.01 0 0.546 0.017 0.189 0 0.237 0 0.001 0 
0.017 0.001 0.004 0.891 0.037 0 0.049 0.001 0 0 
0 0 0.102 0.085 0.664 0 0.146 0.001 0.002 0 
0 0 0 0.002 0 0.532 0 0.38 0 0.086 
0.198 0.001 0.105 0.098 0.119 0 0.47 0.005 0.004 0 
0 0 0 0 0 0 0 0.962 0 0.038 
0.001 0.001 0.013 0.031 0.01 0.003 0.064 0.057 0.818 0.002 
0 0 0 0.001 0 0 0 0.116 0.001 0.882 
EOD
$c << EOD
0 0 738 0xffffff
1 0 0 0x333333
2 0 12 0x333333
3 0 118 0x333333
4 0 12 0x333333
5 0 2 0x333333
6 0 107 0x333333
7 0 7 0x333333
8 0 4 0x333333
9 0 0 0x333333
0 1 1 0x333333
1 1 840 0xffffff
2 1 13 0x333333
3 1 134 0x333333
4 1 9 0x333333
5 1 0 0x333333
6 1 3 0x333333
7 1 0 0x333333
8 1 0 0x333333
9 1 0 0x333333
0 2 10 0x333333
1 2 0 0x333333
2 2 546 0xffffff
3 2 17 0x333333
4 2 189 0x333333
5 2 0 0x333333
6 2 237 0x333333
7 2 0 0x333333
8 2 1 0x333333
9 2 0 0x333333
0 3 17 0x333333
1 3 1 0x333333
2 3 4 0x333333
3 3 891 0xffffff
4 3 37 0x333333
5 3 0 0x333333
6 3 49 0x333333
7 3 1 0x333333
8 3 0 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 0 0x333333
2 4 102 0x333333
3 4 85 0x333333
4 4 664 0xffffff
5 4 0 0x333333
6 4 146 0x333333
7 4 1 0x333333
8 4 2 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 2 0x333333
4 5 0 0x333333
5 5 532 0xffffff
6 5 0 0x333333
7 5 380 0x333333
8 5 0 0x333333
9 5 86 0x333333
0 6 198 0x333333
1 6 1 0x333333
2 6 105 0x333333
3 6 98 0x333333
4 6 119 0x333333
5 6 0 0x333333
6 6 470 0x333333
7 6 5 0x333333
8 6 4 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 0 0x333333
6 7 0 0x333333
7 7 962 0xffffff
8 7 0 0x333333
9 7 38 0x333333
0 8 1 0x333333
1 8 1 0x333333
2 8 13 0x333333
3 8 31 0x333333
4 8 10 0x333333
5 8 3 0x333333
6 8 64 0x333333
7 8 57 0x333333
8 8 818 0xffffff
9 8 2 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 1 0x333333
4 9 0 0x333333
5 9 0 0x333333
6 9 0 0x333333
7 9 116 0x333333
8 9 1 0x333333
9 9 882 0xffffff
EOD
$p << EOD
0 0.738
1 0.84
2 0.546
3 0.891
4 0.664
5 0.532
6 0.47
7 0.962
8 0.818
9 0.882
EOD
set multiplot layout 1,2 title 'cnn_half_bn_first: test split, accuracy 73.43%'
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
