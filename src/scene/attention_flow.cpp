// Attention flow: max-flow through the layers of residual-augmented
// attention, one flow problem per (input token, position) pair. The graph is
// small (T <= 64 tokens per layer), so Edmonds-Karp on dense capacities is enough.
#include <algorithm>
#include <queue>
#include <utility>

#include "scene/display_modes.h"

namespace attnscope {

namespace {

constexpr double kEpsilon = 1e-12;  // residual capacity below this is spent

// Node (layer k, token t) is k * T + t; layer 0 is the input, layer k + 1 the
// output of block k. Capacities of the edges (k, j) -> (k + 1, i) are Â_k(i, j).
class LayeredFlow {
 public:
  explicit LayeredFlow(std::vector<Eigen::MatrixXd> capacities /* [l+1] each [T, T] */)
      : capacity_(std::move(capacities)), T_(static_cast<int>(capacity_.front().rows())) {}

  double max_flow(int source_token, int sink_token) {
    // forward_[k](i, j): flow on (k, j) -> (k + 1, i); reverse residual is that flow.
    forward_.assign(capacity_.size(), Eigen::MatrixXd::Zero(T_, T_));
    double total = 0;
    for (double pushed; (pushed = augment(source_token, sink_token)) > kEpsilon;) total += pushed;
    return total;
  }

 private:
  double residual(int k, int i, int j) const { return capacity_[static_cast<size_t>(k)](i, j) - forward_[static_cast<size_t>(k)](i, j); }

  // One shortest augmenting path by breadth-first search; returns what it pushed.
  double augment(int source_token, int sink_token) {
    const int layers = static_cast<int>(capacity_.size()) + 1, nodes = layers * T_;
    std::vector<int> parent(static_cast<size_t>(nodes), -1);
    std::queue<int> queue;
    parent[static_cast<size_t>(source_token)] = source_token;
    queue.push(source_token);
    const int sink = (layers - 1) * T_ + sink_token;
    while (!queue.empty() && parent[static_cast<size_t>(sink)] < 0) {
      const int node = queue.front(), k = node / T_, t = node % T_;
      queue.pop();
      for (int other = 0; other < T_; ++other) {
        if (k + 1 < layers) visit(node, (k + 1) * T_ + other, residual(k, other, t), parent, queue);  // up an edge
        if (k > 0) visit(node, (k - 1) * T_ + other, forward_[static_cast<size_t>(k - 1)](t, other), parent, queue);  // back along flow
      }
    }
    if (parent[static_cast<size_t>(sink)] < 0) return 0;
    double bottleneck = 1e30;
    for (int v = sink; v != source_token; v = parent[static_cast<size_t>(v)]) bottleneck = std::min(bottleneck, edge_room(parent[static_cast<size_t>(v)], v));
    for (int v = sink; v != source_token; v = parent[static_cast<size_t>(v)]) push(parent[static_cast<size_t>(v)], v, bottleneck);
    return bottleneck;
  }

  void visit(int from, int to, double room, std::vector<int>& parent, std::queue<int>& queue) const {
    if (room <= kEpsilon || parent[static_cast<size_t>(to)] >= 0) return;
    parent[static_cast<size_t>(to)] = from;
    queue.push(to);
  }

  double edge_room(int from, int to) const {
    const int kf = from / T_, kt = to / T_;
    if (kt == kf + 1) return residual(kf, to % T_, from % T_);
    return forward_[static_cast<size_t>(kt)](from % T_, to % T_);
  }

  void push(int from, int to, double amount) {
    const int kf = from / T_, kt = to / T_;
    if (kt == kf + 1) forward_[static_cast<size_t>(kf)](to % T_, from % T_) += amount;
    else forward_[static_cast<size_t>(kt)](from % T_, to % T_) -= amount;
  }

  std::vector<Eigen::MatrixXd> capacity_;  // [l+1] each [T, T]
  std::vector<Eigen::MatrixXd> forward_;   // [l+1] each [T, T]
  int T_;
};

}  // namespace

MatrixRM attention_flow(const std::vector<MatrixRM>& layer_means) {
  std::vector<Eigen::MatrixXd> capacities;  // [l+1] each [T, T] Â of every layer
  for (const MatrixRM& a : layer_means) capacities.push_back(with_residual(a).cast<double>());
  LayeredFlow graph(std::move(capacities));
  const int T = static_cast<int>(layer_means.front().rows());
  MatrixRM flow(T, T);  // [T, T] row = position after the last layer, column = input token
  for (int i = 0; i < T; ++i)
    for (int j = 0; j < T; ++j) flow(i, j) = static_cast<float>(graph.max_flow(j, i));
  return flow;
}

}  // namespace attnscope
