// Times LEMON's NetworkSimplex and CostScaling on a candidate graph written by
// the `sparse_graph` example, for benches/compare/sparse.py.
//
//     g++ -O2 -o sparse_lemon benches/compare/sparse_lemon.cpp
//     sparse_lemon FILE network-simplex|cost-scaling
//
// The graph becomes a min-cost flow: source -> row (capacity 1, cost 0),
// row -> each candidate column (capacity 1, its cost), row -> sink (capacity 1,
// the unmatched cost), column -> sink (the column's capacity, cost 0); the
// source supplies `rows` units and the sink takes them. Prints one JSON object:
// {"optimum": ..., "solve_seconds": ...}, timing `run()` alone (building the
// graph excluded). LEMON is the Debian package liblemon-dev.

#include <lemon/cost_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using Graph = lemon::SmartDigraph;

struct Candidates {
    uint64_t rows = 0, columns = 0, entries = 0;
    int64_t unmatched = 0;
    std::vector<uint32_t> capacity, column;
    std::vector<uint64_t> starts;
    std::vector<int64_t> cost;
};

template <typename T>
static bool read_all(std::FILE* file, std::vector<T>& out, uint64_t count) {
    out.resize(count);
    return std::fread(out.data(), sizeof(T), count, file) == count;
}

static bool read(const char* path, Candidates& g) {
    std::FILE* file = std::fopen(path, "rb");
    if (!file) return false;
    bool ok = std::fread(&g.rows, 8, 1, file) == 1 && std::fread(&g.columns, 8, 1, file) == 1 &&
              std::fread(&g.entries, 8, 1, file) == 1 &&
              std::fread(&g.unmatched, 8, 1, file) == 1 &&
              read_all(file, g.capacity, g.columns) && read_all(file, g.starts, g.rows + 1) &&
              read_all(file, g.column, g.entries) && read_all(file, g.cost, g.entries);
    std::fclose(file);
    return ok;
}

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: sparse_lemon FILE network-simplex|cost-scaling\n");
        return 2;
    }
    Candidates g;
    if (!read(argv[1], g)) {
        std::fprintf(stderr, "sparse_lemon: cannot read %s\n", argv[1]);
        return 1;
    }
    const std::string method = argv[2];

    Graph graph;
    const int nodes = static_cast<int>(g.rows + g.columns + 2);
    const int arcs = static_cast<int>(2 * g.rows + g.entries + g.columns);
    graph.reserveNode(nodes);
    graph.reserveArc(arcs);
    std::vector<Graph::Node> node(nodes);
    for (auto& n : node) n = graph.addNode();
    const Graph::Node source = node[g.rows + g.columns], sink = node[g.rows + g.columns + 1];
    Graph::ArcMap<int64_t> capacity(graph), cost(graph);
    auto arc = [&](Graph::Node from, Graph::Node to, int64_t cap, int64_t c) {
        Graph::Arc a = graph.addArc(from, to);
        capacity[a] = cap;
        cost[a] = c;
    };
    for (uint64_t i = 0; i < g.rows; ++i) {
        arc(source, node[i], 1, 0);
        arc(node[i], sink, 1, g.unmatched);
        for (uint64_t e = g.starts[i]; e < g.starts[i + 1]; ++e)
            arc(node[i], node[g.rows + g.column[e]], 1, g.cost[e]);
    }
    for (uint64_t j = 0; j < g.columns; ++j) arc(node[g.rows + j], sink, g.capacity[j], 0);
    Graph::NodeMap<int64_t> supply(graph, 0);
    supply[source] = static_cast<int64_t>(g.rows);
    supply[sink] = -static_cast<int64_t>(g.rows);

    int64_t optimum = 0;
    bool optimal = false;
    const auto start = std::chrono::steady_clock::now();
    if (method == "network-simplex") {
        lemon::NetworkSimplex<Graph, int64_t, int64_t> solver(graph);
        solver.upperMap(capacity).costMap(cost).supplyMap(supply);
        optimal = solver.run() == lemon::NetworkSimplex<Graph, int64_t, int64_t>::OPTIMAL;
        if (optimal) optimum = solver.totalCost<int64_t>();
    } else if (method == "cost-scaling") {
        lemon::CostScaling<Graph, int64_t, int64_t> solver(graph);
        solver.upperMap(capacity).costMap(cost).supplyMap(supply);
        optimal = solver.run() == lemon::CostScaling<Graph, int64_t, int64_t>::OPTIMAL;
        if (optimal) optimum = solver.totalCost<int64_t>();
    } else {
        std::fprintf(stderr, "sparse_lemon: unknown method %s\n", method.c_str());
        return 2;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!optimal) {
        std::fprintf(stderr, "sparse_lemon: no optimal flow\n");
        return 1;
    }
    std::printf("{\"optimum\": %lld, \"solve_seconds\": %.6f}\n", static_cast<long long>(optimum),
                seconds);
    return 0;
}
