set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_new_a_model_bn.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.834 0.001 0.014 0.026 0.003 0.002 0.112 0 0.008 0 
0.004 0.963 0.002 0.024 0.003 0 0.004 0 0 0 
0.019 0.001 0.785 0.013 0.08 0 0.101 0 0.001 0 
0.025 0.005 0.012 0.897 0.029 0.001 0.027 0 0.004 0 
0.001 0 0.1 0.038 0.762 0.001 0.093 0 0.005 0 
0.001 0 0 0.001 0 0.949 0 0.035 0.001 0.013 
0.13 0.001 0.08 0.027 0.049 0 0.703 0 0.01 0 
0 0 0 0 0 0.014 0 0.966 0 0.02 
0.005 0 0.004 0.003 0.004 0.001 0.009 0.006 0.968 0 
0.001 0 0 0 0 0.006 0 0.041 0 0.952 
EOD
$c << EOD
0 0 834 0xffffff
1 0 1 0x333333
2 0 14 0x333333
3 0 26 0x333333
4 0 3 0x333333
5 0 2 0x333333
6 0 112 0x333333
7 0 0 0x333333
8 0 8 0x333333
9 0 0 0x333333
0 1 4 0x333333
1 1 963 0xffffff
2 1 2 0x333333
3 1 24 0x333333
4 1 3 0x333333
5 1 0 0x333333
6 1 4 0x333333
7 1 0 0x333333
8 1 0 0x333333
9 1 0 0x333333
0 2 19 0x333333
1 2 1 0x333333
2 2 785 0xffffff
3 2 13 0x333333
4 2 80 0x333333
5 2 0 0x333333
6 2 101 0x333333
7 2 0 0x333333
8 2 1 0x333333
9 2 0 0x333333
0 3 25 0x333333
1 3 5 0x333333
2 3 12 0x333333
3 3 897 0xffffff
4 3 29 0x333333
5 3 1 0x333333
6 3 27 0x333333
7 3 0 0x333333
8 3 4 0x333333
9 3 0 0x333333
0 4 1 0x333333
1 4 0 0x333333
2 4 100 0x333333
3 4 38 0x333333
4 4 762 0xffffff
5 4 1 0x333333
6 4 93 0x333333
7 4 0 0x333333
8 4 5 0x333333
9 4 0 0x333333
0 5 1 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 1 0x333333
4 5 0 0x333333
5 5 949 0xffffff
6 5 0 0x333333
7 5 35 0x333333
8 5 1 0x333333
9 5 13 0x333333
0 6 130 0x333333
1 6 1 0x333333
2 6 80 0x333333
3 6 27 0x333333
4 6 49 0x333333
5 6 0 0x333333
6 6 703 0xffffff
7 6 0 0x333333
8 6 10 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 14 0x333333
6 7 0 0x333333
7 7 966 0xffffff
8 7 0 0x333333
9 7 20 0x333333
0 8 5 0x333333
1 8 0 0x333333
2 8 4 0x333333
3 8 3 0x333333
4 8 4 0x333333
5 8 1 0x333333
6 8 9 0x333333
7 8 6 0x333333
8 8 968 0xffffff
9 8 0 0x333333
0 9 1 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 0 0x333333
4 9 0 0x333333
5 9 6 0x333333
6 9 0 0x333333
7 9 41 0x333333
8 9 0 0x333333
9 9 952 0xffffff
EOD
$p << EOD
0 0.834
1 0.963
2 0.785
3 0.897
4 0.762
5 0.949
6 0.703
7 0.966
8 0.968
9 0.952
EOD
set multiplot layout 1,2 title 'new_a_model_bn: test split, accuracy 87.79%'
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
