// Attention flow: max-flow through the layers of residual-augmented
// attention, one flow problem per (input token, position) pair, on dense
// capacities (T <= 64 tokens per layer).
#include <algorithm>
#include <queue>
#include <utility>

#include "scene/display_modes.h"

namespace attnscope {

namespace {

constexpr double kEpsilon = 1e-12;  // residual capacity below this is spent

// Node (layer k, token t) is k * T + t; layer 0 is the input, layer k + 1 the
// output of block k. Capacities of the edges (k, j) -> (k + 1, i) are Â_k(i, j).
// Dinic's algorithm: level graphs by breadth-first search, blocking flows by
// depth-first search with a per-node edge cursor. Neighbour n < T of a node is
// the edge up to token n of the next layer, n >= T the reverse edge down to
// token n - T of the layer below.
class LayeredFlow {
 public:
  explicit LayeredFlow(std::vector<Eigen::MatrixXd> capacities /* [l+1] each [T, T] */)
      : capacity_(std::move(capacities)), T_(static_cast<int>(capacity_.front().rows())),
        nodes_((static_cast<int>(capacity_.size()) + 1) * T_) {}

  double max_flow(int source_token, int sink_token) {
    // forward_[k](i, j): flow on (k, j) -> (k + 1, i); the reverse residual is that flow.
    forward_.assign(capacity_.size(), Eigen::MatrixXd::Zero(T_, T_));
    const int sink = nodes_ - T_ + sink_token;
    double total = 0;
    while (build_levels(source_token, sink)) {
      cursor_.assign(static_cast<size_t>(nodes_), 0);
      for (double pushed; (pushed = push_path(source_token, sink, 1e30)) > kEpsilon;) total += pushed;
    }
    return total;
  }

 private:
  int neighbour(int node, int n) const {
    const int k = node / T_;
    return n < T_ ? (k + 1) * T_ + n : (k - 1) * T_ + (n - T_);
  }

  // Residual room on the edge from `node` to its neighbour n; 0 where there is no edge.
  double room(int node, int n) const {
    const int k = node / T_, t = node % T_, layers = static_cast<int>(capacity_.size());
    if (n < T_) return k < layers ? capacity_[static_cast<size_t>(k)](n, t) - forward_[static_cast<size_t>(k)](n, t) : 0.0;
    return k > 0 ? forward_[static_cast<size_t>(k - 1)](t, n - T_) : 0.0;
  }

  void add_flow(int node, int n, double amount) {
    const int k = node / T_, t = node % T_;
    if (n < T_) forward_[static_cast<size_t>(k)](n, t) += amount;
    else forward_[static_cast<size_t>(k - 1)](t, n - T_) -= amount;
  }

  bool build_levels(int source, int sink) {
    level_.assign(static_cast<size_t>(nodes_), -1);
    std::queue<int> queue;
    level_[static_cast<size_t>(source)] = 0;
    queue.push(source);
    while (!queue.empty()) {
      const int node = queue.front();
      queue.pop();
      for (int n = 0; n < 2 * T_; ++n) {
        if (room(node, n) <= kEpsilon) continue;
        const int next = neighbour(node, n);
        if (level_[static_cast<size_t>(next)] >= 0) continue;
        level_[static_cast<size_t>(next)] = level_[static_cast<size_t>(node)] + 1;
        queue.push(next);
      }
    }
    return level_[static_cast<size_t>(sink)] >= 0;
  }

  // One path of the level graph from `node` to the sink, at most `limit` wide.
  double push_path(int node, int sink, double limit) {
    if (node == sink) return limit;
    for (int& n = cursor_[static_cast<size_t>(node)]; n < 2 * T_; ++n) {
      const double r = room(node, n);
      if (r <= kEpsilon) continue;
      const int next = neighbour(node, n);
      if (level_[static_cast<size_t>(next)] != level_[static_cast<size_t>(node)] + 1) continue;
      const double pushed = push_path(next, sink, std::min(limit, r));
      if (pushed > kEpsilon) {
        add_flow(node, n, pushed);
        return pushed;
      }
    }
    return 0;
  }

  std::vector<Eigen::MatrixXd> capacity_;  // [l+1] each [T, T]
  std::vector<Eigen::MatrixXd> forward_;   // [l+1] each [T, T]
  std::vector<int> level_, cursor_;        // [nodes]
  int T_, nodes_;
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
