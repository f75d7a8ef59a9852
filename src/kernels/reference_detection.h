// TFLite Micro's TFLite_Detection_PostProcess (detection_postprocess.cc): its scratch requests.
#pragma once

#include <optional>

#include "kernels/operator_view.h"

namespace arenaplan::kernels {

// The eleven scratch buffers DetectionPostprocess Prepare requests, in its order, from the box
// count (input 0, dimension 1), the class predictions' shape (input 1) and the options
// max_detections and num_classes. Not modelled when those are missing or not as TFLite Micro
// requires (3-D inputs, a 2-D anchor input, four outputs).
std::optional<OperatorMemory> detection_postprocess(const OperatorView& v);

}  // namespace arenaplan::kernels
