#!/usr/bin/env bash
# Writes the Keras HDF5 fixtures of tests/CMakeLists.txt from the trained variants' weights:
#   keras_fixtures.sh PYTHON keras_fixtures.py TRAINED_DIR OUT_DIR
set -euo pipefail
python=$1 script=$2 trained=$3 out=$4
if ! "$python" -c "import h5py, numpy" 2> /dev/null; then
  echo "skipped: $python has no h5py and numpy (cmake/setup.sh installs python3-h5py python3-numpy)"
  exit 0
fi
mkdir -p "$out"
for net in model_relu new_a_model_bn cnn_half; do
  for layout in save save_weights; do
    "$python" "$script" "$net" "$trained/$net/$net.weights" "$out/$net.$layout.h5" --layout "$layout"
  done
done
for defect in float64 missing_dataset no_layer_names config_not_json unknown_layer other_activation truncated; do
  "$python" "$script" model_relu "$trained/model_relu/model_relu.weights" "$out/model_relu.$defect.h5" --defect "$defect"
done
echo "wrote $(ls "$out" | wc -l) Keras files into $out"
