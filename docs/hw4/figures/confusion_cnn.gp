set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_cnn.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.758 0 0.036 0.049 0.01 0.001 0.142 0.003 0.001 0 
0.001 0.946 0.011 0.028 0.008 0 0.006 0 0 0 
0.006 0 0.804 0.006 0.089 0 0.095 0 0 0 
0.017 0.006 0.026 0.797 0.077 0 0.077 0 0 0 
0 0.001 0.186 0.016 0.625 0 0.172 0 0 0 
0.001 0 0 0.006 0 0.498 0 0.46 0 0.035 
0.148 0.001 0.161 0.027 0.066 0 0.596 0 0.001 0 
0 0 0 0 0 0 0 0.984 0 0.016 
0.002 0.001 0.043 0.022 0.078 0.001 0.099 0.039 0.714 0.001 
0 0 0 0.006 0 0.001 0.001 0.115 0 0.877 
EOD
$c << EOD
0 0 758 0xffffff
1 0 0 0x333333
2 0 36 0x333333
3 0 49 0x333333
4 0 10 0x333333
5 0 1 0x333333
6 0 142 0x333333
7 0 3 0x333333
8 0 1 0x333333
9 0 0 0x333333
0 1 1 0x333333
1 1 946 0xffffff
2 1 11 0x333333
3 1 28 0x333333
4 1 8 0x333333
5 1 0 0x333333
6 1 6 0x333333
7 1 0 0x333333
8 1 0 0x333333
9 1 0 0x333333
0 2 6 0x333333
1 2 0 0x333333
2 2 804 0xffffff
3 2 6 0x333333
4 2 89 0x333333
5 2 0 0x333333
6 2 95 0x333333
7 2 0 0x333333
8 2 0 0x333333
9 2 0 0x333333
0 3 17 0x333333
1 3 6 0x333333
2 3 26 0x333333
3 3 797 0xffffff
4 3 77 0x333333
5 3 0 0x333333
6 3 77 0x333333
7 3 0 0x333333
8 3 0 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 1 0x333333
2 4 186 0x333333
3 4 16 0x333333
4 4 625 0xffffff
5 4 0 0x333333
6 4 172 0x333333
7 4 0 0x333333
8 4 0 0x333333
9 4 0 0x333333
0 5 1 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 6 0x333333
4 5 0 0x333333
5 5 498 0x333333
6 5 0 0x333333
7 5 460 0x333333
8 5 0 0x333333
9 5 35 0x333333
0 6 148 0x333333
1 6 1 0x333333
2 6 161 0x333333
3 6 27 0x333333
4 6 66 0x333333
5 6 0 0x333333
6 6 596 0xffffff
7 6 0 0x333333
8 6 1 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 0 0x333333
6 7 0 0x333333
7 7 984 0xffffff
8 7 0 0x333333
9 7 16 0x333333
0 8 2 0x333333
1 8 1 0x333333
2 8 43 0x333333
3 8 22 0x333333
4 8 78 0x333333
5 8 1 0x333333
6 8 99 0x333333
7 8 39 0x333333
8 8 714 0xffffff
9 8 1 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 6 0x333333
4 9 0 0x333333
5 9 1 0x333333
6 9 1 0x333333
7 9 115 0x333333
8 9 0 0x333333
9 9 877 0xffffff
EOD
$p << EOD
0 0.758
1 0.946
2 0.804
3 0.797
4 0.625
5 0.498
6 0.596
7 0.984
8 0.714
9 0.877
EOD
set multiplot layout 1,2 title 'cnn: test split, accuracy 75.99%'
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
