/* kernels_detection.c: TFLite_Detection_PostProcess (SSD box decoding and non-maximum
 * suppression), following TFLite's detection_postprocess.cc (and TFLite Micro's port, whose
 * sorts it shares): the box arithmetic in double rounded to float where TFLite does so, IoU in
 * float, scores sorted by decreasing value with ties going to the lower index (a stable sort for
 * the boxes of a class, TFLite Micro's index tie-break for the partial sorts).
 * Strict C99, no allocation; every buffer comes from ap_detection_scratch. */
#include <math.h>
#include <string.h>

#include "arenaplan_kernels.h"

/* One encoding or anchor coordinate as a float: uint8 ones dequantized as TFLite's Dequantizer
 * does ((float)q - zero_point) * scale, in float. */
static float coordinate(const void* data, int32_t quantized, float scale, int32_t zero_point, int32_t i) {
  if (!quantized) return ((const float*)data)[i];
  return ((float)((const uint8_t*)data)[i] - (float)zero_point) * scale;
}

/* Score of box `row`, class column `col` (background included). */
static float score_at(const ap_detection_params* p, const void* scores, int32_t row, int32_t col) {
  return coordinate(scores, p->quantized, p->score_scale, p->score_zero_point, row * p->classes_with_background + col);
}

/* DecodeCenterSizeBoxes: (y, x, h, w) relative to the anchor (ycenter, xcenter, h, w) to corners
 * (ymin, xmin, ymax, xmax). Returns 0 when a box has ymin > ymax or xmin > xmax (TFLite's
 * ValidateBoxes refuses to run then). */
static int decode_boxes(const ap_detection_params* p, const void* encodings, const void* anchors, float* boxes) {
  int32_t i;
  int valid = 1;
  for (i = 0; i < p->num_boxes; ++i) {
    const int32_t e = i * p->box_stride, a = i * 4;
    const double y = coordinate(encodings, p->quantized, p->box_scale, p->box_zero_point, e);
    const double x = coordinate(encodings, p->quantized, p->box_scale, p->box_zero_point, e + 1);
    const double h = coordinate(encodings, p->quantized, p->box_scale, p->box_zero_point, e + 2);
    const double w = coordinate(encodings, p->quantized, p->box_scale, p->box_zero_point, e + 3);
    const double ay = coordinate(anchors, p->quantized, p->anchor_scale, p->anchor_zero_point, a);
    const double ax = coordinate(anchors, p->quantized, p->anchor_scale, p->anchor_zero_point, a + 1);
    const double ah = coordinate(anchors, p->quantized, p->anchor_scale, p->anchor_zero_point, a + 2);
    const double aw = coordinate(anchors, p->quantized, p->anchor_scale, p->anchor_zero_point, a + 3);
    const float ycenter = (float)(y / (double)p->y_scale * ah + ay);
    const float xcenter = (float)(x / (double)p->x_scale * aw + ax);
    const float half_h = (float)(0.5 * exp(h / (double)p->h_scale) * ah);
    const float half_w = (float)(0.5 * exp(w / (double)p->w_scale) * aw);
    float* box = boxes + 4 * i;
    box[0] = ycenter - half_h;
    box[1] = xcenter - half_w;
    box[2] = ycenter + half_h;
    box[3] = xcenter + half_w;
    if (box[0] > box[2] || box[1] > box[3]) valid = 0;
  }
  return valid;
}

static float max_f(float a, float b) { return a > b ? a : b; }
static float min_f(float a, float b) { return a < b ? a : b; }

/* ComputeIntersectionOverUnion, in float; 0 when either box has no area. */
static float iou(const float* boxes, int32_t i, int32_t j) {
  const float* a = boxes + 4 * i;
  const float* b = boxes + 4 * j;
  const float area_a = (a[2] - a[0]) * (a[3] - a[1]);
  const float area_b = (b[2] - b[0]) * (b[3] - b[1]);
  float intersection;
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  intersection =
      max_f(min_f(a[2], b[2]) - max_f(a[0], b[0]), 0.0f) * max_f(min_f(a[3], b[3]) - max_f(a[1], b[1]), 0.0f);
  return intersection / (area_a + area_b - intersection);
}

/* Stable sort of `n` indices by decreasing values[index] (bottom-up merge sort; `merge` holds n). */
static void stable_sort_decreasing(const float* values, int32_t* order, int32_t* merge, int32_t n) {
  int32_t width, *from = order, *to = merge;
  for (width = 1; width < n; width *= 2) {
    int32_t start;
    for (start = 0; start < n; start += 2 * width) {
      const int32_t mid = start + width < n ? start + width : n;
      const int32_t end = start + 2 * width < n ? start + 2 * width : n;
      int32_t l = start, r = mid, k = start;
      while (k < end) /* the right run wins only on a strictly greater value: stable */
        to[k++] = (l < mid && !(r < end && values[from[r]] > values[from[l]])) ? from[l++] : from[r++];
    }
    {
      int32_t* t = from;
      from = to;
      to = t;
    }
  }
  if (from != order) memcpy(order, from, (size_t)n * sizeof(int32_t));
}

/* True when element i ranks before element j: a greater value, or an equal one at a lower index
 * (TFLite Micro's DecreasingPartialArgSort comparator). */
static int ranks_before(const float* values, int32_t i, int32_t j) {
  return values[i] > values[j] || (!(values[j] > values[i]) && i < j);
}

/* The first `k` of indices 0..n-1 in that order, into `top` (insertion into a sorted list:
 * O(n * k), k is at most max_detections or max_classes_per_detection). */
static void partial_sort_decreasing(const float* values, int32_t n, int32_t k, int32_t* top) {
  int32_t size = 0, i, pos, m;
  for (i = 0; i < n; ++i) {
    pos = size;
    while (pos > 0 && ranks_before(values, i, top[pos - 1])) --pos;
    if (pos >= k) continue;
    for (m = (size < k ? size : k - 1); m > pos; --m) top[m] = top[m - 1];
    top[pos] = i;
    if (size < k) ++size;
  }
}

/* NonMaxSuppressionSingleClassHelper: the boxes scoring at least the threshold, by decreasing
 * score, each dropping the later ones that overlap it by more than the IoU threshold; at most
 * `limit` selected, written to s->selected. Returns how many. */
static int32_t nms_single_class(const ap_detection_params* p, const ap_detection_scratch* s, const float* scores,
                                int32_t limit) {
  int32_t kept = 0, i, j, selected = 0, active, output_size;
  for (i = 0; i < p->num_boxes; ++i)
    if (scores[i] >= p->score_threshold) s->order[kept++] = i;
  stable_sort_decreasing(scores, s->order, s->merge, kept);
  output_size = kept < limit ? kept : limit;
  active = kept;
  for (i = 0; i < kept; ++i) s->active[i] = 1;
  for (i = 0; i < kept; ++i) {
    if (active == 0 || selected >= output_size) break;
    if (!s->active[i]) continue;
    s->selected[selected++] = s->order[i];
    s->active[i] = 0;
    --active;
    for (j = i + 1; j < kept; ++j)
      if (s->active[j] && iou(s->boxes, s->order[i], s->order[j]) > p->iou_threshold) {
        s->active[j] = 0;
        --active;
      }
  }
  return selected;
}

static void write_row(float* out_boxes, float* out_classes, float* out_scores, int32_t row, const float* box, float cls,
                      float score) {
  int32_t c;
  for (c = 0; c < 4; ++c) out_boxes[4 * row + c] = box ? box[c] : 0.0f;
  out_classes[row] = cls;
  out_scores[row] = score;
}

/* NonMaxSuppressionMultiClassRegularHelper: NMS per class, keeping the best max_detections of
 * all classes (candidates: the best so far, then this class's selection, partially sorted). */
static int32_t regular_nms(const ap_detection_params* p, const ap_detection_scratch* s, const void* scores,
                           float* out_boxes, float* out_classes, float* out_scores) {
  const int32_t offset = p->classes_with_background - p->num_classes;
  int32_t kept = 0, col, row, i;
  for (col = 0; col < p->num_classes; ++col) {
    int32_t count = kept, top;
    for (row = 0; row < p->num_boxes; ++row) s->scores[row] = score_at(p, scores, row, col + offset);
    top = nms_single_class(p, s, s->scores, p->detections_per_class);
    for (i = 0; i < top; ++i) {
      s->candidates[count] = s->selected[i] * p->classes_with_background + col + offset;
      s->candidate_scores[count++] = s->scores[s->selected[i]];
    }
    top = count < p->max_detections ? count : p->max_detections;
    partial_sort_decreasing(s->candidate_scores, count, top, s->rank);
    for (i = 0; i < top; ++i) {
      s->best[i] = s->candidates[s->rank[i]];
      s->best_scores[i] = s->candidate_scores[s->rank[i]];
    }
    for (i = 0; i < top; ++i) {
      s->candidates[i] = s->best[i];
      s->candidate_scores[i] = s->best_scores[i];
    }
    kept = top;
  }
  for (i = 0; i < p->max_detections; ++i) {
    if (i < kept) {
      const int32_t anchor = s->candidates[i] / p->classes_with_background;
      const int32_t cls = s->candidates[i] - anchor * p->classes_with_background - offset;
      write_row(out_boxes, out_classes, out_scores, i, s->boxes + 4 * anchor, (float)cls, s->candidate_scores[i]);
    } else {
      write_row(out_boxes, out_classes, out_scores, i, 0, 0.0f, 0.0f);
    }
  }
  return kept;
}

/* NonMaxSuppressionMultiClassFastHelper: one NMS over each box's best class score; a selected box
 * gives its best min(max_classes_per_detection, num_classes) classes, in rows of
 * max_classes_per_detection. */
static int32_t fast_nms(const ap_detection_params* p, const ap_detection_scratch* s, const void* scores,
                        float* out_boxes, float* out_classes, float* out_scores) {
  const int32_t offset = p->classes_with_background - p->num_classes;
  const int32_t categories =
      p->max_classes_per_detection < p->num_classes ? p->max_classes_per_detection : p->num_classes;
  float* row_scores = s->candidate_scores; /* num_classes values */
  int32_t* classes = s->candidates;        /* categories indices */
  int32_t row, col, selected, k;
  for (row = 0; row < p->num_boxes; ++row) {
    for (col = 0; col < p->num_classes; ++col) row_scores[col] = score_at(p, scores, row, col + offset);
    partial_sort_decreasing(row_scores, p->num_classes, 1, classes);
    s->scores[row] = row_scores[classes[0]];
  }
  selected = nms_single_class(p, s, s->scores, p->max_detections);
  for (k = 0; k < selected; ++k) {
    const int32_t box = s->selected[k];
    for (col = 0; col < p->num_classes; ++col) row_scores[col] = score_at(p, scores, box, col + offset);
    partial_sort_decreasing(row_scores, p->num_classes, categories, classes);
    for (col = 0; col < categories; ++col)
      write_row(out_boxes, out_classes, out_scores, p->max_classes_per_detection * k + col, s->boxes + 4 * box,
                (float)classes[col], row_scores[classes[col]]);
  }
  return selected;
}

void ap_detection_postprocess(const ap_detection_params* p, const ap_detection_scratch* s, const void* box_encodings,
                              const void* class_predictions, const void* anchors, float* out_boxes, float* out_classes,
                              float* out_scores, float* out_count) {
  int32_t rows = p->output_rows, i, count = 0;
  /* Rows TFLite leaves unwritten (past the detections of fast NMS) are zero here. */
  for (i = 0; i < rows; ++i) write_row(out_boxes, out_classes, out_scores, i, 0, 0.0f, 0.0f);
  if (decode_boxes(p, box_encodings, anchors, s->boxes))
    count = p->use_regular_nms ? regular_nms(p, s, class_predictions, out_boxes, out_classes, out_scores)
                               : fast_nms(p, s, class_predictions, out_boxes, out_classes, out_scores);
  *out_count = (float)count;
}
