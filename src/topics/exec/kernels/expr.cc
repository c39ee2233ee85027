#include "topics/exec/kernels/expr.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace sysbench::kernels {
namespace {

constexpr char kVarNames[kExprVars] = {'a', 'b', 'c', 'x'};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Recursive descent; the first error stops it (every function returns -1 after it).
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  ParseResult Parse() {
    ParseResult result;
    if (text_.size() > kMaxExprText) {
      Fail(kMaxExprText, "longer than 256 characters");
    } else {
      const int root = Sum(0);
      SkipSpace();
      if (root >= 0 && pos_ < text_.size()) Fail(pos_, "unexpected character");
      result.expr.root = root;
    }
    result.ok = error_ == nullptr;
    result.error = error_;
    result.error_at = error_at_;
    if (result.ok) result.expr.nodes = std::move(nodes_);
    return result;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }
  bool Peek(char c) {
    SkipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  int Fail(std::size_t at, const char* why) {
    if (error_ == nullptr) {
      error_ = why;
      error_at_ = at;
    }
    return -1;
  }
  int Add(ExprNode node) {
    if (nodes_.size() >= kMaxExprNodes) return Fail(pos_, "more than 64 terms and operators");
    nodes_.push_back(node);
    return static_cast<int>(nodes_.size() - 1);
  }
  int Binary(NodeKind kind, int left, int right) {
    if (left < 0 || right < 0) return -1;
    ExprNode node;
    node.kind = kind;
    node.left = left;
    node.right = right;
    return Add(node);
  }

  int Sum(int depth) {
    int left = Product(depth);
    while (left >= 0 && (Peek('+') || Peek('-'))) {
      const NodeKind kind = text_[pos_++] == '+' ? NodeKind::kAdd : NodeKind::kSub;
      left = Binary(kind, left, Product(depth));
    }
    return left;
  }
  int Product(int depth) {
    int left = Unary(depth);
    while (left >= 0 && (Peek('*') || Peek('/'))) {
      const NodeKind kind = text_[pos_++] == '*' ? NodeKind::kMul : NodeKind::kDiv;
      left = Binary(kind, left, Unary(depth));
    }
    return left;
  }
  int Unary(int depth) {
    if (depth >= kMaxExprDepth) return Fail(pos_, "nested more than 24 deep");
    if (Peek('-')) {
      ++pos_;
      const int operand = Unary(depth + 1);
      if (operand < 0) return -1;
      ExprNode node;
      node.kind = NodeKind::kNeg;
      node.left = operand;
      return Add(node);
    }
    if (Peek('(')) {
      const std::size_t open = pos_++;
      const int inner = Sum(depth + 1);
      if (inner < 0) return -1;
      if (!Peek(')')) return Fail(pos_ < text_.size() ? pos_ : open, "unbalanced '('");
      ++pos_;
      return inner;
    }
    SkipSpace();
    if (pos_ >= text_.size()) return Fail(pos_, "an operand is missing at the end");
    const char c = text_[pos_];
    if (IsDigit(c) || c == '.') return Number();
    if (IsAlnum(c)) return Variable();
    return Fail(pos_, "expected a number, a variable (a, b, c, x) or '('");
  }
  int Number() {
    const char* begin = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    // Only plain decimals: from_chars would also take "inf" and hex digits after "0x".
    const char* p = begin;
    while (p < end && (IsDigit(*p) || *p == '.')) ++p;
    if (p < end && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p < end && (*p == '+' || *p == '-')) ++p;
      while (p < end && IsDigit(*p)) ++p;
    }
    double value = 0;
    const auto [stop, ec] = std::from_chars(begin, p, value, std::chars_format::general);
    if (ec != std::errc() || stop != p || !std::isfinite(value)) {
      return Fail(pos_, "not a finite decimal number");
    }
    if (p < end && IsAlnum(*p))
      return Fail(static_cast<std::size_t>(p - text_.data()), "unexpected character");
    pos_ = static_cast<std::size_t>(p - text_.data());
    ExprNode node;
    node.kind = NodeKind::kConst;
    node.value = value;
    return Add(node);
  }
  int Variable() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && IsAlnum(text_[pos_])) ++pos_;
    if (pos_ - start == 1) {
      for (int v = 0; v < kExprVars; ++v) {
        if (text_[start] == kVarNames[v]) {
          ExprNode node;
          node.kind = NodeKind::kVar;
          node.var = v;
          return Add(node);
        }
      }
    }
    return Fail(start, "unknown name (the variables are a, b, c and x)");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::vector<ExprNode> nodes_;
  const char* error_ = nullptr;
  std::size_t error_at_ = 0;
};

bool SameNode(const Expr& l, int i, const Expr& r, int j) {
  if (i < 0 || j < 0) return i == j;
  const ExprNode& a = l.nodes[static_cast<std::size_t>(i)];
  const ExprNode& b = r.nodes[static_cast<std::size_t>(j)];
  if (a.kind != b.kind) return false;
  if (a.kind == NodeKind::kConst) return std::memcmp(&a.value, &b.value, sizeof(double)) == 0;
  if (a.kind == NodeKind::kVar) return a.var == b.var;
  return SameNode(l, a.left, r, b.left) && SameNode(l, a.right, r, b.right);
}

}  // namespace

ParseResult ParseExpr(std::string_view text) { return Parser(text).Parse(); }

char VarName(int var) { return var >= 0 && var < kExprVars ? kVarNames[var] : '?'; }

bool SameExpr(const Expr& left, const Expr& right) {
  return SameNode(left, left.root, right, right.root);
}

}  // namespace sysbench::kernels
