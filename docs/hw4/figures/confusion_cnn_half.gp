set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_cnn_half.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.616 0 0.027 0.059 0.004 0.002 0.286 0.004 0.002 0 
0 0.893 0.015 0.064 0.003 0 0.025 0 0 0 
0.003 0 0.721 0.007 0.046 0 0.223 0 0 0 
0.016 0.006 0.013 0.8 0.011 0 0.154 0 0 0 
0 0 0.295 0.059 0.285 0 0.36 0 0.001 0 
0 0 0 0 0 0.415 0.006 0.508 0 0.071 
0.099 0.002 0.159 0.029 0.029 0 0.677 0.003 0.002 0 
0 0 0 0 0 0 0 0.977 0 0.023 
0 0.001 0.02 0.025 0.006 0.003 0.118 0.07 0.755 0.002 
0 0 0 0.002 0 0 0 0.154 0.001 0.843 
EOD
$c << EOD
0 0 616 0xffffff
1 0 0 0x333333
2 0 27 0x333333
3 0 59 0x333333
4 0 4 0x333333
5 0 2 0x333333
6 0 286 0x333333
7 0 4 0x333333
8 0 2 0x333333
9 0 0 0x333333
0 1 0 0x333333
1 1 893 0xffffff
2 1 15 0x333333
3 1 64 0x333333
4 1 3 0x333333
5 1 0 0x333333
6 1 25 0x333333
7 1 0 0x333333
8 1 0 0x333333
9 1 0 0x333333
0 2 3 0x333333
1 2 0 0x333333
2 2 721 0xffffff
3 2 7 0x333333
4 2 46 0x333333
5 2 0 0x333333
6 2 223 0x333333
7 2 0 0x333333
8 2 0 0x333333
9 2 0 0x333333
0 3 16 0x333333
1 3 6 0x333333
2 3 13 0x333333
3 3 800 0xffffff
4 3 11 0x333333
5 3 0 0x333333
6 3 154 0x333333
7 3 0 0x333333
8 3 0 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 0 0x333333
2 4 295 0x333333
3 4 59 0x333333
4 4 285 0x333333
5 4 0 0x333333
6 4 360 0x333333
7 4 0 0x333333
8 4 1 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 0 0x333333
4 5 0 0x333333
5 5 415 0x333333
6 5 6 0x333333
7 5 508 0xffffff
8 5 0 0x333333
9 5 71 0x333333
0 6 99 0x333333
1 6 2 0x333333
2 6 159 0x333333
3 6 29 0x333333
4 6 29 0x333333
5 6 0 0x333333
6 6 677 0xffffff
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
7 7 977 0xffffff
8 7 0 0x333333
9 7 23 0x333333
0 8 0 0x333333
1 8 1 0x333333
2 8 20 0x333333
3 8 25 0x333333
4 8 6 0x333333
5 8 3 0x333333
6 8 118 0x333333
7 8 70 0x333333
8 8 755 0xffffff
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
0 0.616
1 0.893
2 0.721
3 0.8
4 0.285
5 0.415
6 0.677
7 0.977
8 0.755
9 0.843
EOD
set multiplot layout 1,2 title 'cnn_half: test split, accuracy 69.82%'
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
