set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_model_relu.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.804 0.004 0.011 0.053 0.004 0.002 0.102 0 0.02 0 
0.004 0.954 0.005 0.028 0.005 0 0.002 0 0.002 0 
0.014 0.002 0.75 0.014 0.133 0.001 0.078 0 0.008 0 
0.022 0.009 0.009 0.896 0.03 0.002 0.027 0 0.005 0 
0 0.001 0.094 0.044 0.784 0.003 0.067 0 0.007 0 
0 0 0 0.001 0 0.94 0 0.046 0.002 0.011 
0.117 0.002 0.095 0.046 0.092 0.001 0.621 0 0.026 0 
0 0 0 0 0 0.033 0 0.938 0 0.029 
0.002 0.001 0.004 0.005 0.004 0.004 0.013 0.006 0.961 0 
0 0 0 0 0 0.011 0.002 0.043 0 0.944 
EOD
$c << EOD
0 0 804 0xffffff
1 0 4 0x333333
2 0 11 0x333333
3 0 53 0x333333
4 0 4 0x333333
5 0 2 0x333333
6 0 102 0x333333
7 0 0 0x333333
8 0 20 0x333333
9 0 0 0x333333
0 1 4 0x333333
1 1 954 0xffffff
2 1 5 0x333333
3 1 28 0x333333
4 1 5 0x333333
5 1 0 0x333333
6 1 2 0x333333
7 1 0 0x333333
8 1 2 0x333333
9 1 0 0x333333
0 2 14 0x333333
1 2 2 0x333333
2 2 750 0xffffff
3 2 14 0x333333
4 2 133 0x333333
5 2 1 0x333333
6 2 78 0x333333
7 2 0 0x333333
8 2 8 0x333333
9 2 0 0x333333
0 3 22 0x333333
1 3 9 0x333333
2 3 9 0x333333
3 3 896 0xffffff
4 3 30 0x333333
5 3 2 0x333333
6 3 27 0x333333
7 3 0 0x333333
8 3 5 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 1 0x333333
2 4 94 0x333333
3 4 44 0x333333
4 4 784 0xffffff
5 4 3 0x333333
6 4 67 0x333333
7 4 0 0x333333
8 4 7 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 1 0x333333
4 5 0 0x333333
5 5 940 0xffffff
6 5 0 0x333333
7 5 46 0x333333
8 5 2 0x333333
9 5 11 0x333333
0 6 117 0x333333
1 6 2 0x333333
2 6 95 0x333333
3 6 46 0x333333
4 6 92 0x333333
5 6 1 0x333333
6 6 621 0xffffff
7 6 0 0x333333
8 6 26 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 33 0x333333
6 7 0 0x333333
7 7 938 0xffffff
8 7 0 0x333333
9 7 29 0x333333
0 8 2 0x333333
1 8 1 0x333333
2 8 4 0x333333
3 8 5 0x333333
4 8 4 0x333333
5 8 4 0x333333
6 8 13 0x333333
7 8 6 0x333333
8 8 961 0xffffff
9 8 0 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 0 0x333333
4 9 0 0x333333
5 9 11 0x333333
6 9 2 0x333333
7 9 43 0x333333
8 9 0 0x333333
9 9 944 0xffffff
EOD
$p << EOD
0 0.804
1 0.954
2 0.75
3 0.896
4 0.784
5 0.94
6 0.621
7 0.938
8 0.961
9 0.944
EOD
set multiplot layout 1,2 title 'model_relu: test split, accuracy 85.92%'
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
