set terminal pngcairo size 1100,440 noenhanced font ',10'
set output 'failure_accuracy.png'
set grid lc rgb '#dddddd'
set key below height 1
$d << EOD
"cnn_half" 0.6982 0.7538
"split_shift" 0.1238 0.2919
"no_l2" 0.6993 0.7531
"lr1e-3" 0.8618 0.8868
"bn_first" 0.7343 0.7378
"bn_m09" 0.7014 0.7538
"bn_rows" 0.5976 0.7441
"homework" 0.1664 0.2288
EOD
set title 'cnn_half, test accuracy: inference mode (moving statistics, no dropout) and training mode (batch statistics, dropout)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8
set yrange [0:1]
set ylabel 'test accuracy'
set key top right
set xtics rotate by 20 right
plot $d using 2:xtic(1) title 'inference mode' lc rgb '#08519c', '' using 3 title 'training mode' lc rgb '#fd8d3c'
