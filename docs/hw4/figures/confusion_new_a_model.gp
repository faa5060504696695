set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_new_a_model.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.802 0.004 0.011 0.052 0.005 0.001 0.105 0 0.02 0 
0.003 0.956 0.003 0.028 0.005 0 0.003 0 0.002 0 
0.017 0.004 0.748 0.012 0.135 0.001 0.073 0 0.01 0 
0.025 0.009 0.009 0.89 0.032 0.001 0.029 0 0.005 0 
0 0.001 0.098 0.041 0.783 0.001 0.068 0 0.008 0 
0 0 0 0.001 0 0.937 0 0.047 0.002 0.013 
0.12 0.002 0.095 0.047 0.091 0.001 0.617 0 0.027 0 
0 0 0 0 0 0.035 0 0.933 0 0.032 
0.003 0.001 0.004 0.006 0.004 0.004 0.014 0.005 0.959 0 
0 0 0 0 0 0.012 0.001 0.042 0.001 0.944 
EOD
$c << EOD
0 0 802 0xffffff
1 0 4 0x333333
2 0 11 0x333333
3 0 52 0x333333
4 0 5 0x333333
5 0 1 0x333333
6 0 105 0x333333
7 0 0 0x333333
8 0 20 0x333333
9 0 0 0x333333
0 1 3 0x333333
1 1 956 0xffffff
2 1 3 0x333333
3 1 28 0x333333
4 1 5 0x333333
5 1 0 0x333333
6 1 3 0x333333
7 1 0 0x333333
8 1 2 0x333333
9 1 0 0x333333
0 2 17 0x333333
1 2 4 0x333333
2 2 748 0xffffff
3 2 12 0x333333
4 2 135 0x333333
5 2 1 0x333333
6 2 73 0x333333
7 2 0 0x333333
8 2 10 0x333333
9 2 0 0x333333
0 3 25 0x333333
1 3 9 0x333333
2 3 9 0x333333
3 3 890 0xffffff
4 3 32 0x333333
5 3 1 0x333333
6 3 29 0x333333
7 3 0 0x333333
8 3 5 0x333333
9 3 0 0x333333
0 4 0 0x333333
1 4 1 0x333333
2 4 98 0x333333
3 4 41 0x333333
4 4 783 0xffffff
5 4 1 0x333333
6 4 68 0x333333
7 4 0 0x333333
8 4 8 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 1 0x333333
4 5 0 0x333333
5 5 937 0xffffff
6 5 0 0x333333
7 5 47 0x333333
8 5 2 0x333333
9 5 13 0x333333
0 6 120 0x333333
1 6 2 0x333333
2 6 95 0x333333
3 6 47 0x333333
4 6 91 0x333333
5 6 1 0x333333
6 6 617 0xffffff
7 6 0 0x333333
8 6 27 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 35 0x333333
6 7 0 0x333333
7 7 933 0xffffff
8 7 0 0x333333
9 7 32 0x333333
0 8 3 0x333333
1 8 1 0x333333
2 8 4 0x333333
3 8 6 0x333333
4 8 4 0x333333
5 8 4 0x333333
6 8 14 0x333333
7 8 5 0x333333
8 8 959 0xffffff
9 8 0 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 0 0x333333
4 9 0 0x333333
5 9 12 0x333333
6 9 1 0x333333
7 9 42 0x333333
8 9 1 0x333333
9 9 944 0xffffff
EOD
$p << EOD
0 0.802
1 0.956
2 0.748
3 0.89
4 0.783
5 0.937
6 0.617
7 0.933
8 0.959
9 0.944
EOD
set multiplot layout 1,2 title 'new_a_model: test split, accuracy 85.69%'
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
