set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_model_relu_b32.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.803 0.002 0.01 0.053 0.004 0.002 0.108 0 0.018 0 
0.003 0.961 0.002 0.025 0.004 0 0.003 0 0.002 0 
0.017 0.002 0.763 0.013 0.121 0 0.078 0 0.006 0 
0.021 0.009 0.01 0.896 0.033 0 0.026 0 0.005 0 
0 0.001 0.092 0.038 0.795 0.001 0.065 0 0.008 0 
0 0 0 0.001 0 0.948 0 0.04 0.002 0.009 
0.118 0.001 0.093 0.041 0.091 0.001 0.634 0 0.021 0 
0 0 0 0 0 0.03 0 0.946 0 0.024 
0 0.001 0.004 0.005 0.004 0.003 0.01 0.005 0.968 0 
0 0 0 0 0 0.01 0.002 0.043 0 0.945 
EOD
$c << EOD
0 0 803 0xffffff
1 0 2 0x333333
2 0 10 0x333333
3 0 53 0x333333
4 0 4 0x333333
5 0 2 0x333333
6 0 108 0x333333
7 0 0 0x333333
8 0 18 0x333333
9 0 0 0x333333
0 1 3 0x333333
1 1 961 0xffffff
2 1 2 0x333333
3 1 25 0x333333
4 1 4 0x333333
5 1 0 0x333333
6 1 3 0x333333
7 1 0 0x333333
8 1 2 0x333333
9 1 0 0x333333
0 2 17 0x333333
1 2 2 0x333333
2 2 763 0xffffff
3 2 13 0x333333
4 2 121 0x333333
5 2 0 0x333333
6 2 78 0x333333
7 2 0 0x333333
8 2 6 0x333333
9 2 0 0x333333
0 3 21 0x333333
1 3 9 0x333333
2 3 10 0x333333
3 3 896 0xffffff
4 3 33 0x333333
5 3 0 0x333333
6 3 26 0x333333
7 3 0 0x333333
8 3 5 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 1 0x333333
2 4 92 0x333333
3 4 38 0x333333
4 4 795 0xffffff
5 4 1 0x333333
6 4 65 0x333333
7 4 0 0x333333
8 4 8 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 1 0x333333
4 5 0 0x333333
5 5 948 0xffffff
6 5 0 0x333333
7 5 40 0x333333
8 5 2 0x333333
9 5 9 0x333333
0 6 118 0x333333
1 6 1 0x333333
2 6 93 0x333333
3 6 41 0x333333
4 6 91 0x333333
5 6 1 0x333333
6 6 634 0xffffff
7 6 0 0x333333
8 6 21 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 30 0x333333
6 7 0 0x333333
7 7 946 0xffffff
8 7 0 0x333333
9 7 24 0x333333
0 8 0 0x333333
1 8 1 0x333333
2 8 4 0x333333
3 8 5 0x333333
4 8 4 0x333333
5 8 3 0x333333
6 8 10 0x333333
7 8 5 0x333333
8 8 968 0xffffff
9 8 0 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 0 0x333333
4 9 0 0x333333
5 9 10 0x333333
6 9 2 0x333333
7 9 43 0x333333
8 9 0 0x333333
9 9 945 0xffffff
EOD
$p << EOD
0 0.803
1 0.961
2 0.763
3 0.896
4 0.795
5 0.948
6 0.634
7 0.946
8 0.968
9 0.945
EOD
set multiplot layout 1,2 title 'model_relu_b32: test split, accuracy 86.59%'
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
