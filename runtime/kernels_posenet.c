/* kernels_posenet.c: PosenetDecoderOp, the multi-pose decoder of Coral's PoseNet models
 * (libcoral's posenet_decoder.cc, after PersonLab, arXiv:1803.08225), computed as libcoral does
 * on a host built with GCC and libstdc++:
 * - the same float operations in the same order (bilinear sampling, offsets, sigmoid, means);
 * - its two priority queues pop equal scores in the order of libstdc++'s binary heap
 *   (std::priority_queue = push_heap / pop_heap), reproduced here: uint8 heatmaps have many
 *   equal scores, and the order decides which poses are found;
 * - its sorts by decreasing score are libstdc++'s std::sort (introsort), also reproduced: equal
 *   pose scores are common with uint8 heatmaps, and their order decides the output's.
 * Unlike libcoral it dequantizes on the fly (the same value each time) instead of keeping float
 * copies of the three inputs, and its root queue holds grid indices, not keypoint records.
 * Strict C99, no allocation; every buffer comes from ap_posenet_scratch. */
#include <math.h>
#include <string.h>

#include "arenaplan_kernels.h"

#define AP_POSE_KEYPOINTS 17
#define AP_POSE_EDGES 16 /* per direction; the mid-range offsets hold 2 * 2 * 16 channels */
#define AP_POSE_REFINEMENT_STEPS 5

/* The skeleton's directed edges (parent, child): 16 forward edges from the nose outwards, then the
 * same 16 backward. A keypoint's children are visited in this order. */
static const int8_t kEdges[2 * AP_POSE_EDGES][2] = {
    {0, 1}, {1, 3},  {0, 2},   {2, 4},   {0, 5},   {5, 7}, {7, 9},  {5, 11}, {11, 13}, {13, 15}, {0, 6},
    {6, 8}, {8, 10}, {6, 12},  {12, 14}, {14, 16}, {1, 0}, {3, 1},  {2, 0},  {4, 2},   {5, 0},   {7, 5},
    {9, 7}, {11, 5}, {13, 11}, {15, 13}, {6, 0},   {8, 6}, {10, 8}, {12, 6}, {14, 12}, {16, 14}};

typedef struct {
  const ap_posenet_input* q;
  const void* data;
  int32_t channels;
} tensor_view;

static float value_at(const tensor_view* t, int32_t i) {
  if (t->q->quantized) return ((float)((const uint8_t*)t->data)[i] - (float)t->q->zero_point) * t->q->scale;
  return ((const float*)t->data)[i] * t->q->scale;
}

static float clampf(float v, float lo, float hi) { return v < lo ? lo : hi < v ? hi : v; }

/* The grid cell below a coordinate and the weight of the next one: the coordinate is clamped to
 * the grid for the cells but not for the weight (libcoral's BuildLinearInterpolation). A NaN
 * coordinate (float inputs only; undefined in libcoral) samples cell 0. */
static void interpolation(float v, int32_t n, int32_t* lo, int32_t* hi, float* weight) {
  const float c = clampf(v, 0.0f, (float)n - 1.0f);
  *lo = c == c ? (int32_t)floorf(c) : 0;
  *hi = c == c ? (int32_t)ceilf(c) : 0;
  *weight = v - (float)*lo;
}

/* Bilinear samples of channels c0 and c1 of `t` at (y, x). */
static void sample(const tensor_view* t, int32_t height, int32_t width, float y, float x, int32_t c0, int32_t c1,
                   float out[2]) {
  int32_t y0, y1, x0, x1, i;
  float wy, wx;
  interpolation(y, height, &y0, &y1, &wy);
  interpolation(x, width, &x0, &x1, &wx);
  for (i = 0; i < 2; ++i) {
    const int32_t c = i == 0 ? c0 : c1;
    const float tl = value_at(t, (y0 * width + x0) * t->channels + c);
    const float tr = value_at(t, (y0 * width + x1) * t->channels + c);
    const float bl = value_at(t, (y1 * width + x0) * t->channels + c);
    const float br = value_at(t, (y1 * width + x1) * t->channels + c);
    out[i] = (1 - wy) * ((1 - wx) * tl + wx * tr) + wy * ((1 - wx) * bl + wx * br);
  }
}

/* libstdc++'s algorithms over item numbers, step for step, with its comparison `before(a, b)`
 * (std::less for a max-heap): std::push_heap / std::pop_heap (std::priority_queue) and
 * std::sort (introsort: median-of-three partitions down to 16 elements, heapsort past the depth
 * limit, then insertion sort), so that equal keys come out in the same order. */
typedef int (*before_fn)(const void* context, int32_t a, int32_t b);

typedef struct {
  before_fn before;
  const void* context;
} ordering;

static int before(const ordering* o, int32_t a, int32_t b) { return o->before(o->context, a, b); }

static void sift_up(int32_t* v, int32_t hole, int32_t top, int32_t item, const ordering* o) {
  int32_t parent = (hole - 1) / 2;
  while (hole > top && before(o, v[parent], item)) {
    v[hole] = v[parent];
    hole = parent;
    parent = (hole - 1) / 2;
  }
  v[hole] = item;
}

/* std::__adjust_heap: moves the hole down to a leaf along the larger children, then `item` up. */
static void adjust_heap(int32_t* v, int32_t hole, int32_t len, int32_t item, const ordering* o) {
  const int32_t top = hole;
  int32_t child = hole;
  while (child < (len - 1) / 2) {
    child = 2 * (child + 1);
    if (before(o, v[child], v[child - 1])) --child;
    v[hole] = v[child];
    hole = child;
  }
  if ((len & 1) == 0 && child == (len - 2) / 2) {
    child = 2 * (child + 1);
    v[hole] = v[child - 1];
    hole = child - 1;
  }
  sift_up(v, hole, top, item, o);
}

static void heap_push(int32_t* v, int32_t* size, int32_t item, const ordering* o) { sift_up(v, (*size)++, 0, item, o); }

/* std::pop_heap on v[0, len): the top goes to v[len - 1]. */
static void pop_heap_to_end(int32_t* v, int32_t len, const ordering* o) {
  if (len > 1) {
    const int32_t item = v[len - 1];
    v[len - 1] = v[0];
    adjust_heap(v, 0, len - 1, item, o);
  }
}

static int32_t heap_pop(int32_t* v, int32_t* size, const ordering* o) {
  const int32_t top = v[0];
  pop_heap_to_end(v, (*size)--, o);
  return top;
}

static void swap_items(int32_t* a, int32_t* b) {
  const int32_t t = *a;
  *a = *b;
  *b = t;
}

/* std::__unguarded_linear_insert: v[i] moves left past the items it goes before. */
static void linear_insert(int32_t* v, int32_t i, const ordering* o) {
  const int32_t item = v[i];
  while (before(o, item, v[i - 1])) {
    v[i] = v[i - 1];
    --i;
  }
  v[i] = item;
}

static void insertion_sort(int32_t* v, int32_t n, const ordering* o) {
  int32_t i;
  for (i = 1; i < n; ++i) {
    if (before(o, v[i], v[0])) {
      const int32_t item = v[i];
      memmove(v + 1, v, sizeof(int32_t) * (size_t)i);
      v[0] = item;
    } else {
      linear_insert(v, i, o);
    }
  }
}

static void introsort_loop(int32_t* v, int32_t n, int32_t depth, const ordering* o) {
  while (n > 16) {
    int32_t lo = 1, hi = n, mid = n / 2;
    if (depth-- == 0) { /* std::partial_sort(first, last, last): make_heap, then sort_heap */
      int32_t parent;
      for (parent = (n - 2) / 2;; --parent) {
        adjust_heap(v, parent, n, v[parent], o);
        if (parent == 0) break;
      }
      for (; n > 1; --n) pop_heap_to_end(v, n, o);
      return;
    }
    /* std::__move_median_to_first(v, v + 1, v + mid, v + n - 1), then the unguarded partition. */
    if (before(o, v[1], v[mid])) {
      if (before(o, v[mid], v[n - 1]))
        swap_items(v, v + mid);
      else if (before(o, v[1], v[n - 1]))
        swap_items(v, v + n - 1);
      else
        swap_items(v, v + 1);
    } else if (before(o, v[1], v[n - 1])) {
      swap_items(v, v + 1);
    } else if (before(o, v[mid], v[n - 1])) {
      swap_items(v, v + n - 1);
    } else {
      swap_items(v, v + mid);
    }
    for (;;) {
      while (before(o, v[lo], v[0])) ++lo;
      --hi;
      while (before(o, v[0], v[hi])) --hi;
      if (!(lo < hi)) break;
      swap_items(v + lo, v + hi);
      ++lo;
    }
    introsort_loop(v + lo, n - lo, depth, o);
    n = lo;
  }
}

static void libstdcxx_sort(int32_t* v, int32_t n, const ordering* o) {
  int32_t lg = 0, i;
  if (n < 2) return;
  while ((n >> (lg + 1)) != 0) ++lg;
  introsort_loop(v, n, 2 * lg, o);
  if (n > 16) {
    insertion_sort(v, 16, o);
    for (i = 16; i < n; ++i) linear_insert(v, i, o);
  } else {
    insertion_sort(v, n, o);
  }
}

static int greater_value(const void* context, int32_t a, int32_t b) {
  return ((const float*)context)[a] > ((const float*)context)[b];
}

/* Indices 0..n-1 by decreasing value, as libcoral's DecreasingArgSort (std::sort of an iota). */
static void decreasing_order(const float* values, int32_t n, int32_t* order) {
  ordering o;
  int32_t i;
  o.before = greater_value;
  o.context = values;
  for (i = 0; i < n; ++i) order[i] = i;
  libstdcxx_sort(order, n, &o);
}

/* The priority queues' std::less on the score. */
static int lower_heat(const void* context, int32_t a, int32_t b) {
  return value_at((const tensor_view*)context, a) < value_at((const tensor_view*)context, b);
}

static int lower_keypoint(const void* context, int32_t a, int32_t b) {
  return ((const ap_posenet_keypoint*)context)[a].score < ((const ap_posenet_keypoint*)context)[b].score;
}

static float squared_distance(const float* a, const float* b) {
  const float dy = b[0] - a[0], dx = b[1] - a[1];
  return dy * dy + dx * dx;
}

typedef struct {
  const ap_posenet_params* p;
  tensor_view heat, shorts, mids;
} decoder;

/* Follows an edge's mid-range offset from (y, x), then refines the position by the target's
 * short-range offsets. */
static void displaced(const decoder* d, float* y, float* x, int32_t edge, int32_t target) {
  const float ymax = (float)d->p->height - 1.0f, xmax = (float)d->p->width - 1.0f;
  float offset[2];
  int32_t step;
  sample(&d->mids, d->p->height, d->p->width, *y, *x, edge, AP_POSE_EDGES + edge, offset);
  *y = clampf(*y + offset[0], 0.0f, ymax);
  *x = clampf(*x + offset[1], 0.0f, xmax);
  for (step = 0; step < AP_POSE_REFINEMENT_STEPS; ++step) {
    sample(&d->shorts, d->p->height, d->p->width, *y, *x, target, AP_POSE_KEYPOINTS + target, offset);
    *y = clampf(*y + offset[0], 0.0f, ymax);
    *x = clampf(*x + offset[1], 0.0f, xmax);
  }
}

static float heat_sample(const decoder* d, float y, float x, int32_t id) {
  float out[2];
  sample(&d->heat, d->p->height, d->p->width, y, x, id, id, out);
  return out[0];
}

/* Decodes one pose from a root keypoint: the highest-scoring decoded keypoint is expanded first,
 * each undecoded child placed along its edge. `pose` gets (y, x) per keypoint, `scores` logits. */
static void decode_pose(const decoder* d, const ap_posenet_scratch* s, float root_y, float root_x, int32_t root_id,
                        float* pose, float* scores) {
  int32_t size = 0, used = 0, k;
  uint8_t decoded[AP_POSE_KEYPOINTS];
  ordering o;
  o.before = lower_keypoint;
  o.context = s->keypoints;
  memset(decoded, 0, sizeof decoded);
  s->keypoints[0].y = root_y;
  s->keypoints[0].x = root_x;
  s->keypoints[0].id = root_id;
  s->keypoints[0].score = heat_sample(d, root_y, root_x, root_id);
  heap_push(s->queue, &size, used++, &o);
  while (size > 0) {
    const ap_posenet_keypoint current = s->keypoints[heap_pop(s->queue, &size, &o)];
    if (decoded[current.id]) continue;
    pose[2 * current.id] = current.y;
    pose[2 * current.id + 1] = current.x;
    scores[current.id] = current.score;
    decoded[current.id] = 1;
    for (k = 0; k < 2 * AP_POSE_EDGES; ++k) {
      const int32_t child = kEdges[k][1];
      /* libcoral shifts backward edges past the forward X block for edge > 16 (not >= 16). */
      const int32_t edge = k > AP_POSE_EDGES ? k + AP_POSE_EDGES : k;
      ap_posenet_keypoint* next;
      if (kEdges[k][0] != current.id || decoded[child]) continue;
      next = &s->keypoints[used];
      next->y = current.y;
      next->x = current.x;
      displaced(d, &next->y, &next->x, edge, child);
      next->id = child;
      next->score = heat_sample(d, next->y, next->x, child);
      heap_push(s->queue, &size, used++, &o);
    }
  }
}

/* The mean of the 17 keypoint scores summed in decreasing order, those of `occluded` left out
 * (they count as zero). */
static float pose_score(const float* scores, const uint8_t* occluded) {
  int32_t order[AP_POSE_KEYPOINTS], k;
  float total = 0.0f;
  decreasing_order(scores, AP_POSE_KEYPOINTS, order);
  for (k = 0; k < AP_POSE_KEYPOINTS; ++k)
    if (!occluded[order[k]]) total += scores[order[k]];
  return total / AP_POSE_KEYPOINTS;
}

/* The root candidates: keypoints whose logit reaches the threshold and no neighbour within one
 * cell exceeds, pushed onto the heap ordered by `by_heat`. */
static void find_candidates(const decoder* d, const ordering* by_heat, int32_t* heap, int32_t* size) {
  const int32_t h = d->p->height, w = d->p->width;
  int32_t y, x, j, yy, xx;
  for (y = 0; y < h; ++y)
    for (x = 0; x < w; ++x)
      for (j = 0; j < AP_POSE_KEYPOINTS; ++j) {
        const int32_t index = (y * w + x) * AP_POSE_KEYPOINTS + j;
        const float score = value_at(&d->heat, index);
        int maximum = 1;
        if (!(score >= d->p->min_score_logit)) continue;
        for (yy = y > 0 ? y - 1 : 0; maximum && yy < h && yy <= y + 1; ++yy)
          for (xx = x > 0 ? x - 1 : 0; xx < w && xx <= x + 1; ++xx)
            if (value_at(&d->heat, (yy * w + xx) * AP_POSE_KEYPOINTS + j) > score) {
              maximum = 0;
              break;
            }
        if (maximum) heap_push(heap, size, index, by_heat);
      }
}

void ap_posenet_decoder(const ap_posenet_params* p, const ap_posenet_scratch* s, const void* heatmaps,
                        const void* short_offsets, const void* mid_offsets, float* keypoints, float* keypoint_scores,
                        float* pose_scores, float* count) {
  const int32_t per_pose = 2 * AP_POSE_KEYPOINTS;
  const float ymax = (float)p->height - 1.0f, xmax = (float)p->width - 1.0f;
  uint8_t occluded[AP_POSE_KEYPOINTS];
  int32_t candidates = 0, poses = 0, i, j, k, out = 0;
  decoder d;
  ordering by_heat;
  d.p = p;
  d.heat.q = &p->heatmaps;
  d.heat.data = heatmaps;
  d.heat.channels = AP_POSE_KEYPOINTS;
  d.shorts.q = &p->short_offsets;
  d.shorts.data = short_offsets;
  d.shorts.channels = 2 * AP_POSE_KEYPOINTS;
  d.mids.q = &p->mid_offsets;
  d.mids.data = mid_offsets;
  d.mids.channels = 4 * AP_POSE_EDGES;
  by_heat.before = lower_heat;
  by_heat.context = &d.heat;
  find_candidates(&d, &by_heat, s->candidates, &candidates);

  memset(occluded, 0, sizeof occluded);
  while (poses < p->max_detections && candidates > 0) {
    const int32_t index = heap_pop(s->candidates, &candidates, &by_heat);
    const int32_t id = index % AP_POSE_KEYPOINTS, cell = index / AP_POSE_KEYPOINTS;
    const int32_t offset = cell * per_pose + id;
    float root[2];
    float* pose = s->poses + poses * per_pose;
    float* scores = s->keypoint_scores + poses * AP_POSE_KEYPOINTS;
    int keep = 1;
    root[0] = clampf((float)(cell / p->width) + value_at(&d.shorts, offset), 0.0f, ymax);
    root[1] = clampf((float)(cell % p->width) + value_at(&d.shorts, offset + AP_POSE_KEYPOINTS), 0.0f, xmax);
    /* A root within the NMS radius of the same keypoint of an earlier pose is dropped. */
    for (i = 0; keep && i < poses; ++i)
      if (squared_distance(root, s->poses + i * per_pose + 2 * id) <= p->squared_nms_radius) keep = 0;
    if (!keep) continue;
    for (k = 0; k < AP_POSE_KEYPOINTS; ++k) {
      pose[2 * k] = pose[2 * k + 1] = -1.0f;
      scores[k] = -1e5f;
    }
    decode_pose(&d, s, root[0], root[1], id, pose, scores);
    for (k = 0; k < AP_POSE_KEYPOINTS; ++k) scores[k] = 1.0f / (1.0f + expf(-scores[k]));
    s->pose_scores[poses] = pose_score(scores, occluded);
    if (s->pose_scores[poses] >= p->score_threshold) ++poses;
  }

  /* Soft keypoint NMS: by decreasing score, a pose's keypoints near the same keypoint of a
   * higher-scoring pose stop counting; then the poses are ordered again by the new scores. */
  decreasing_order(s->pose_scores, poses, s->order);
  for (i = 0; i < poses; ++i) {
    const int32_t current = s->order[i];
    memset(occluded, 0, sizeof occluded);
    for (j = 0; j < i; ++j)
      for (k = 0; k < AP_POSE_KEYPOINTS; ++k)
        if (squared_distance(s->poses + current * per_pose + 2 * k, s->poses + s->order[j] * per_pose + 2 * k) <=
            p->squared_nms_radius)
          occluded[k] = 1;
    s->pose_scores[current] = pose_score(s->keypoint_scores + current * AP_POSE_KEYPOINTS, occluded);
  }
  decreasing_order(s->pose_scores, poses, s->order);

  memset(keypoints, 0, sizeof(float) * (size_t)p->max_detections * per_pose);
  memset(keypoint_scores, 0, sizeof(float) * (size_t)p->max_detections * AP_POSE_KEYPOINTS);
  memset(pose_scores, 0, sizeof(float) * (size_t)p->max_detections);
  for (i = 0; i < poses && !(s->pose_scores[s->order[i]] < p->score_threshold); ++i, ++out) {
    const int32_t from = s->order[i];
    for (k = 0; k < per_pose; ++k) keypoints[out * per_pose + k] = s->poses[from * per_pose + k] * (float)p->stride;
    memcpy(keypoint_scores + out * AP_POSE_KEYPOINTS, s->keypoint_scores + from * AP_POSE_KEYPOINTS,
           sizeof(float) * AP_POSE_KEYPOINTS);
    pose_scores[out] = s->pose_scores[from];
  }
  *count = (float)out;
}
