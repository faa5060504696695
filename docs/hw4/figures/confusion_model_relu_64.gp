set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_model_relu_64.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.811 0.003 0.011 0.048 0.006 0.001 0.109 0 0.011 0 
0.003 0.963 0 0.025 0.003 0 0.003 0 0.003 0 
0.012 0.002 0.792 0.014 0.106 0.001 0.069 0 0.004 0 
0.02 0.009 0.012 0.894 0.036 0 0.024 0 0.005 0 
0 0 0.094 0.037 0.798 0 0.066 0 0.005 0 
0 0 0 0.001 0 0.954 0 0.032 0.001 0.012 
0.12 0.001 0.088 0.039 0.079 0 0.656 0 0.017 0 
0 0 0 0 0 0.024 0 0.954 0 0.022 
0.003 0.001 0.005 0.005 0.005 0.003 0.004 0.005 0.969 0 
0 0 0 0 0 0.012 0.001 0.043 0 0.944 
EOD
$c << EOD
0 0 811 0xffffff
1 0 3 0x333333
2 0 11 0x333333
3 0 48 0x333333
4 0 6 0x333333
5 0 1 0x333333
6 0 109 0x333333
7 0 0 0x333333
8 0 11 0x333333
9 0 0 0x333333
0 1 3 0x333333
1 1 963 0xffffff
2 1 0 0x333333
3 1 25 0x333333
4 1 3 0x333333
5 1 0 0x333333
6 1 3 0x333333
7 1 0 0x333333
8 1 3 0x333333
9 1 0 0x333333
0 2 12 0x333333
1 2 2 0x333333
2 2 792 0xffffff
3 2 14 0x333333
4 2 106 0x333333
5 2 1 0x333333
6 2 69 0x333333
7 2 0 0x333333
8 2 4 0x333333
9 2 0 0x333333
0 3 20 0x333333
1 3 9 0x333333
2 3 12 0x333333
3 3 894 0xffffff
4 3 36 0x333333
5 3 0 0x333333
6 3 24 0x333333
7 3 0 0x333333
8 3 5 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 0 0x333333
2 4 94 0x333333
3 4 37 0x333333
4 4 798 0xffffff
5 4 0 0x333333
6 4 66 0x333333
7 4 0 0x333333
8 4 5 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 1 0x333333
4 5 0 0x333333
5 5 954 0xffffff
6 5 0 0x333333
7 5 32 0x333333
8 5 1 0x333333
9 5 12 0x333333
0 6 120 0x333333
1 6 1 0x333333
2 6 88 0x333333
3 6 39 0x333333
4 6 79 0x333333
5 6 0 0x333333
6 6 656 0xffffff
7 6 0 0x333333
8 6 17 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 24 0x333333
6 7 0 0x333333
7 7 954 0xffffff
8 7 0 0x333333
9 7 22 0x333333
0 8 3 0x333333
1 8 1 0x333333
2 8 5 0x333333
3 8 5 0x333333
4 8 5 0x333333
5 8 3 0x333333
6 8 4 0x333333
7 8 5 0x333333
8 8 969 0xffffff
9 8 0 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 0 0x333333
4 9 0 0x333333
5 9 12 0x333333
6 9 1 0x333333
7 9 43 0x333333
8 9 0 0x333333
9 9 944 0xffffff
EOD
$p << EOD
0 0.811
1 0.963
2 0.792
3 0.894
4 0.798
5 0.954
6 0.656
7 0.954
8 0.969
9 0.944
EOD
set multiplot layout 1,2 title 'model_relu_64: test split, accuracy 87.35%'
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
