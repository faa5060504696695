set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_model_relu_split_shift.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0 0 0 0 0 0 0 0 1 0 
0 0 0 0 0 0 0 0 1 0 
0 0 0 0 0 0 0 0 1 0 
0 0 0 0 0 0 0 0 1 0 
0 0 0 0 0 0 0 0 1 0 
0 0 0 0 0 0 0 0 1 0 
0 0 0 0 0 0 0 0 1 0 
0 0 0 0 0 0 0 0 1 0 
0 0 0 0 0 0 0 0 1 0 
0 0 0 0 0 0 0 0 1 0 
EOD
$c << EOD
0 0 0 0x333333
1 0 0 0x333333
2 0 0 0x333333
3 0 0 0x333333
4 0 0 0x333333
5 0 0 0x333333
6 0 0 0x333333
7 0 0 0x333333
8 0 1000 0xffffff
9 0 0 0x333333
0 1 0 0x333333
1 1 0 0x333333
2 1 0 0x333333
3 1 0 0x333333
4 1 0 0x333333
5 1 0 0x333333
6 1 0 0x333333
7 1 0 0x333333
8 1 1000 0xffffff
9 1 0 0x333333
0 2 0 0x333333
1 2 0 0x333333
2 2 0 0x333333
3 2 0 0x333333
4 2 0 0x333333
5 2 0 0x333333
6 2 0 0x333333
7 2 0 0x333333
8 2 1000 0xffffff
9 2 0 0x333333
0 3 0 0x333333
1 3 0 0x333333
2 3 0 0x333333
3 3 0 0x333333
4 3 0 0x333333
5 3 0 0x333333
6 3 0 0x333333
7 3 0 0x333333
8 3 1000 0xffffff
9 3 0 0x333333
0 4 0 0x333333
1 4 0 0x333333
2 4 0 0x333333
3 4 0 0x333333
4 4 0 0x333333
5 4 0 0x333333
6 4 0 0x333333
7 4 0 0x333333
8 4 1000 0xffffff
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 0 0x333333
4 5 0 0x333333
5 5 0 0x333333
6 5 0 0x333333
7 5 0 0x333333
8 5 1000 0xffffff
9 5 0 0x333333
0 6 0 0x333333
1 6 0 0x333333
2 6 0 0x333333
3 6 0 0x333333
4 6 0 0x333333
5 6 0 0x333333
6 6 0 0x333333
7 6 0 0x333333
8 6 1000 0xffffff
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 0 0x333333
6 7 0 0x333333
7 7 0 0x333333
8 7 1000 0xffffff
9 7 0 0x333333
0 8 0 0x333333
1 8 0 0x333333
2 8 0 0x333333
3 8 0 0x333333
4 8 0 0x333333
5 8 0 0x333333
6 8 0 0x333333
7 8 0 0x333333
8 8 1000 0xffffff
9 8 0 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 0 0x333333
4 9 0 0x333333
5 9 0 0x333333
6 9 0 0x333333
7 9 0 0x333333
8 9 1000 0xffffff
9 9 0 0x333333
EOD
$p << EOD
0 0
1 0
2 0
3 0
4 0
5 0
6 0
7 0
8 1
9 0
EOD
set multiplot layout 1,2 title 'model_relu_split_shift: test split, accuracy 10.00%'
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
