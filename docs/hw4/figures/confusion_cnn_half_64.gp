set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_cnn_half_64.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.816 0 0.029 0.028 0.016 0 0.103 0.008 0 0 
0.005 0.903 0.008 0.045 0.037 0 0.002 0 0 0 
0.018 0 0.768 0.003 0.117 0 0.094 0 0 0 
0.042 0.002 0.027 0.749 0.129 0 0.048 0.003 0 0 
0 0 0.146 0.005 0.71 0 0.139 0 0 0 
0.001 0 0 0 0.001 0.239 0.002 0.665 0 0.092 
0.194 0 0.114 0.015 0.081 0 0.595 0.001 0 0 
0 0 0 0 0 0 0 0.972 0 0.028 
0.012 0.001 0.05 0.012 0.165 0 0.114 0.116 0.516 0.014 
0 0 0 0 0 0 0.001 0.073 0 0.926 
EOD
$c << EOD
0 0 816 0xffffff
1 0 0 0x333333
2 0 29 0x333333
3 0 28 0x333333
4 0 16 0x333333
5 0 0 0x333333
6 0 103 0x333333
7 0 8 0x333333
8 0 0 0x333333
9 0 0 0x333333
0 1 5 0x333333
1 1 903 0xffffff
2 1 8 0x333333
3 1 45 0x333333
4 1 37 0x333333
5 1 0 0x333333
6 1 2 0x333333
7 1 0 0x333333
8 1 0 0x333333
9 1 0 0x333333
0 2 18 0x333333
1 2 0 0x333333
2 2 768 0xffffff
3 2 3 0x333333
4 2 117 0x333333
5 2 0 0x333333
6 2 94 0x333333
7 2 0 0x333333
8 2 0 0x333333
9 2 0 0x333333
0 3 42 0x333333
1 3 2 0x333333
2 3 27 0x333333
3 3 749 0xffffff
4 3 129 0x333333
5 3 0 0x333333
6 3 48 0x333333
7 3 3 0x333333
8 3 0 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 0 0x333333
2 4 146 0x333333
3 4 5 0x333333
4 4 710 0xffffff
5 4 0 0x333333
6 4 139 0x333333
7 4 0 0x333333
8 4 0 0x333333
9 4 0 0x333333
0 5 1 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 0 0x333333
4 5 1 0x333333
5 5 239 0x333333
6 5 2 0x333333
7 5 665 0xffffff
8 5 0 0x333333
9 5 92 0x333333
0 6 194 0x333333
1 6 0 0x333333
2 6 114 0x333333
3 6 15 0x333333
4 6 81 0x333333
5 6 0 0x333333
6 6 595 0xffffff
7 6 1 0x333333
8 6 0 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 0 0x333333
6 7 0 0x333333
7 7 972 0xffffff
8 7 0 0x333333
9 7 28 0x333333
0 8 12 0x333333
1 8 1 0x333333
2 8 50 0x333333
3 8 12 0x333333
4 8 165 0x333333
5 8 0 0x333333
6 8 114 0x333333
7 8 116 0x333333
8 8 516 0xffffff
9 8 14 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 0 0x333333
4 9 0 0x333333
5 9 0 0x333333
6 9 1 0x333333
7 9 73 0x333333
8 9 0 0x333333
9 9 926 0xffffff
EOD
$p << EOD
0 0.816
1 0.903
2 0.768
3 0.749
4 0.71
5 0.239
6 0.595
7 0.972
8 0.516
9 0.926
EOD
set multiplot layout 1,2 title 'cnn_half_64: test split, accuracy 71.94%'
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
