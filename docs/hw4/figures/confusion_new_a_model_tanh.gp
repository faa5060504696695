set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_new_a_model_tanh.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.802 0.002 0.011 0.054 0.006 0.001 0.108 0 0.015 0.001 
0.003 0.95 0.005 0.031 0.004 0 0.006 0 0.001 0 
0.017 0 0.746 0.013 0.135 0.001 0.082 0 0.006 0 
0.022 0.011 0.011 0.887 0.033 0.001 0.031 0 0.004 0 
0 0 0.106 0.037 0.778 0.001 0.072 0 0.006 0 
0.001 0 0 0.001 0 0.923 0 0.051 0.004 0.02 
0.133 0.001 0.096 0.043 0.081 0 0.622 0.001 0.023 0 
0 0 0 0 0 0.034 0 0.931 0.001 0.034 
0.002 0.001 0.006 0.006 0.003 0.004 0.01 0.005 0.963 0 
0 0 0 0 0 0.016 0.001 0.043 0.001 0.939 
EOD
$c << EOD
0 0 802 0xffffff
1 0 2 0x333333
2 0 11 0x333333
3 0 54 0x333333
4 0 6 0x333333
5 0 1 0x333333
6 0 108 0x333333
7 0 0 0x333333
8 0 15 0x333333
9 0 1 0x333333
0 1 3 0x333333
1 1 950 0xffffff
2 1 5 0x333333
3 1 31 0x333333
4 1 4 0x333333
5 1 0 0x333333
6 1 6 0x333333
7 1 0 0x333333
8 1 1 0x333333
9 1 0 0x333333
0 2 17 0x333333
1 2 0 0x333333
2 2 746 0xffffff
3 2 13 0x333333
4 2 135 0x333333
5 2 1 0x333333
6 2 82 0x333333
7 2 0 0x333333
8 2 6 0x333333
9 2 0 0x333333
0 3 22 0x333333
1 3 11 0x333333
2 3 11 0x333333
3 3 887 0xffffff
4 3 33 0x333333
5 3 1 0x333333
6 3 31 0x333333
7 3 0 0x333333
8 3 4 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 0 0x333333
2 4 106 0x333333
3 4 37 0x333333
4 4 778 0xffffff
5 4 1 0x333333
6 4 72 0x333333
7 4 0 0x333333
8 4 6 0x333333
9 4 0 0x333333
0 5 1 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 1 0x333333
4 5 0 0x333333
5 5 923 0xffffff
6 5 0 0x333333
7 5 51 0x333333
8 5 4 0x333333
9 5 20 0x333333
0 6 133 0x333333
1 6 1 0x333333
2 6 96 0x333333
3 6 43 0x333333
4 6 81 0x333333
5 6 0 0x333333
6 6 622 0xffffff
7 6 1 0x333333
8 6 23 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 34 0x333333
6 7 0 0x333333
7 7 931 0xffffff
8 7 1 0x333333
9 7 34 0x333333
0 8 2 0x333333
1 8 1 0x333333
2 8 6 0x333333
3 8 6 0x333333
4 8 3 0x333333
5 8 4 0x333333
6 8 10 0x333333
7 8 5 0x333333
8 8 963 0xffffff
9 8 0 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 0 0x333333
4 9 0 0x333333
5 9 16 0x333333
6 9 1 0x333333
7 9 43 0x333333
8 9 1 0x333333
9 9 939 0xffffff
EOD
$p << EOD
0 0.802
1 0.95
2 0.746
3 0.887
4 0.778
5 0.923
6 0.622
7 0.931
8 0.963
9 0.939
EOD
set multiplot layout 1,2 title 'new_a_model_tanh: test split, accuracy 85.41%'
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
