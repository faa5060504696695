set terminal pngcairo size 1100,460 noenhanced font ',10'
set output 'confusion_new_a_model_sigmoid.png'
set grid lc rgb '#dddddd'
set key below height 1
$f << EOD
0.801 0.006 0.007 0.073 0.004 0.005 0.084 0 0.019 0.001 
0.004 0.932 0.015 0.041 0.004 0 0.002 0 0.002 0 
0.018 0.001 0.66 0.01 0.18 0.001 0.117 0 0.013 0 
0.03 0.016 0.003 0.86 0.028 0.001 0.057 0 0.004 0.001 
0 0.003 0.104 0.04 0.765 0 0.081 0 0.007 0 
0 0 0 0.002 0 0.875 0 0.074 0.006 0.043 
0.192 0.003 0.126 0.054 0.167 0.001 0.425 0 0.032 0 
0 0 0 0 0 0.045 0 0.88 0 0.075 
0.002 0.001 0.007 0.012 0.001 0.007 0.018 0.005 0.946 0.001 
0 0 0 0 0 0.017 0 0.053 0.001 0.929 
EOD
$c << EOD
0 0 801 0xffffff
1 0 6 0x333333
2 0 7 0x333333
3 0 73 0x333333
4 0 4 0x333333
5 0 5 0x333333
6 0 84 0x333333
7 0 0 0x333333
8 0 19 0x333333
9 0 1 0x333333
0 1 4 0x333333
1 1 932 0xffffff
2 1 15 0x333333
3 1 41 0x333333
4 1 4 0x333333
5 1 0 0x333333
6 1 2 0x333333
7 1 0 0x333333
8 1 2 0x333333
9 1 0 0x333333
0 2 18 0x333333
1 2 1 0x333333
2 2 660 0xffffff
3 2 10 0x333333
4 2 180 0x333333
5 2 1 0x333333
6 2 117 0x333333
7 2 0 0x333333
8 2 13 0x333333
9 2 0 0x333333
0 3 30 0x333333
1 3 16 0x333333
2 3 3 0x333333
3 3 860 0xffffff
4 3 28 0x333333
5 3 1 0x333333
6 3 57 0x333333
7 3 0 0x333333
8 3 4 0x333333
9 3 1 0x333333
0 4 0 0x333333
1 4 3 0x333333
2 4 104 0x333333
3 4 40 0x333333
4 4 765 0xffffff
5 4 0 0x333333
6 4 81 0x333333
7 4 0 0x333333
8 4 7 0x333333
9 4 0 0x333333
0 5 0 0x333333
1 5 0 0x333333
2 5 0 0x333333
3 5 2 0x333333
4 5 0 0x333333
5 5 875 0xffffff
6 5 0 0x333333
7 5 74 0x333333
8 5 6 0x333333
9 5 43 0x333333
0 6 192 0x333333
1 6 3 0x333333
2 6 126 0x333333
3 6 54 0x333333
4 6 167 0x333333
5 6 1 0x333333
6 6 425 0x333333
7 6 0 0x333333
8 6 32 0x333333
9 6 0 0x333333
0 7 0 0x333333
1 7 0 0x333333
2 7 0 0x333333
3 7 0 0x333333
4 7 0 0x333333
5 7 45 0x333333
6 7 0 0x333333
7 7 880 0xffffff
8 7 0 0x333333
9 7 75 0x333333
0 8 2 0x333333
1 8 1 0x333333
2 8 7 0x333333
3 8 12 0x333333
4 8 1 0x333333
5 8 7 0x333333
6 8 18 0x333333
7 8 5 0x333333
8 8 946 0xffffff
9 8 1 0x333333
0 9 0 0x333333
1 9 0 0x333333
2 9 0 0x333333
3 9 0 0x333333
4 9 0 0x333333
5 9 17 0x333333
6 9 0 0x333333
7 9 53 0x333333
8 9 1 0x333333
9 9 929 0xffffff
EOD
$p << EOD
0 0.801
1 0.932
2 0.66
3 0.86
4 0.765
5 0.875
6 0.425
7 0.88
8 0.946
9 0.929
EOD
set multiplot layout 1,2 title 'new_a_model_sigmoid: test split, accuracy 80.73%'
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
