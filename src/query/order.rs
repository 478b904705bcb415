//! `ORDER BY` of a whole listing, outside the engine, in bounded memory.
//!
//! Oxigraph 0.5.13 orders by holding every solution in memory and evaluating each sort key
//! again at every comparison: `statistics` at 20,000 articles (265,000 rows) peaked at 655 MiB,
//! 133 MiB of which without its `ORDER BY`. Here the engine computes each key once, as an extra
//! column of the solution, and the rows are sorted in runs of at most [`RUN_BYTES`], each run
//! written to a temporary file once there is more than one, and the runs merged; memory then
//! does not grow with the number of rows. The comparison is SPARQL 1.1's (§15.1), as Oxigraph
//! applies it: unbound, then blank nodes, then IRIs, then literals; literals of comparable types
//! by value, others by lexical form, datatype and language. Rows whose keys are all equal keep the
//! engine's order, so the answer is the same for the same store.
//!
//! The query text is not changed: the `.rq` files keep their `ORDER BY` for any other engine.

use oxigraph::model::{Term, Variable};
use oxigraph::sparql::{QueryEvaluationError, QuerySolution, QuerySolutionIter};
use spareval::ExpressionTerm;
use spargebra::algebra::{Expression, GraphPattern, OrderExpression};
use spargebra::Query;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::str::FromStr;
use std::sync::Arc;

/// The rows held in memory before a run is sorted and written out (an estimate of their heap
/// size, which the real one is about twice of). 16 MiB makes about 20 runs of `statistics` at
/// 20,000 articles.
pub const RUN_BYTES: usize = 16 << 20;

/// One sort key: the column that holds it, descending or not, and whether it compares terms
/// exactly (the last keys of a `DISTINCT`, so that equal rows come together) rather than as
/// SPARQL orders them (which finds `10` and `"1e1"^^xsd:float` equal).
#[derive(Debug, Clone, Copy)]
struct Key {
    column: usize,
    descending: bool,
    exact: bool,
}

/// How to put the engine's unordered rows in order, and which columns to give back.
#[derive(Debug, Clone)]
pub struct OrderPlan {
    /// The columns the query projects, in its order.
    visible: Arc<[Variable]>,
    /// For each sort key, the column that holds it and whether it is descending.
    keys: Vec<Key>,
    /// `DISTINCT` (or `REDUCED`): equal rows are dropped once ordered.
    distinct: bool,
    /// `OFFSET` and `LIMIT`, applied after ordering.
    offset: usize,
    limit: Option<usize>,
    run_bytes: usize,
}

/// Takes the top-level `ORDER BY` out of a `SELECT`, which then projects one more column per
/// key expression that is not a projected variable. `None` (and the query unchanged) where the
/// engine should order it: no `ORDER BY`, or `DISTINCT`/`REDUCED` over keys that read other
/// variables than the projected ones (an extra column would make more rows distinct).
pub fn take_order(query: &mut Query) -> Option<OrderPlan> {
    let Query::Select { pattern, .. } = query else {
        return None;
    };
    // Look first, change nothing unless the whole shape is there.
    let (offset, limit, sliced) = match &*pattern {
        GraphPattern::Slice { start, length, .. } => (*start, *length, true),
        _ => (0, None, false),
    };
    {
        let mut node = &*pattern;
        if let GraphPattern::Slice { inner, .. } = node {
            node = inner;
        }
        let distinct = matches!(
            node,
            GraphPattern::Distinct { .. } | GraphPattern::Reduced { .. }
        );
        if let GraphPattern::Distinct { inner } | GraphPattern::Reduced { inner } = node {
            node = inner;
        }
        let GraphPattern::Project { inner, variables } = node else {
            return None;
        };
        let GraphPattern::OrderBy { expression, .. } = &**inner else {
            return None;
        };
        let projected: HashSet<&Variable> = variables.iter().collect();
        if distinct
            && expression
                .iter()
                .any(|e| !reads_only(order_expression(e), &projected))
        {
            return None;
        }
    }
    // The slice goes: it applies to the ordered rows.
    if sliced {
        let GraphPattern::Slice { inner, .. } = std::mem::replace(pattern, empty()) else {
            unreachable!("looked at above");
        };
        *pattern = *inner;
    }
    // DISTINCT goes too: ordered on every column at the end, equal rows come together and are
    // dropped as they are merged, instead of the engine holding a set of every row.
    let distinct = matches!(
        pattern,
        GraphPattern::Distinct { .. } | GraphPattern::Reduced { .. }
    );
    if distinct {
        let (GraphPattern::Distinct { inner } | GraphPattern::Reduced { inner }) =
            std::mem::replace(pattern, empty())
        else {
            unreachable!("looked at above");
        };
        *pattern = *inner;
    }
    let GraphPattern::Project { inner, variables } = pattern else {
        unreachable!("looked at above");
    };
    let GraphPattern::OrderBy {
        inner: ordered,
        expression,
    } = std::mem::replace(&mut **inner, empty())
    else {
        unreachable!("looked at above");
    };
    let visible: Arc<[Variable]> = variables.clone().into();
    let mut taken = *ordered;
    let mut keys = Vec::with_capacity(expression.len());
    for (i, e) in expression.iter().enumerate() {
        let descending = matches!(e, OrderExpression::Desc(_));
        let column = match order_expression(e) {
            Expression::Variable(v) if variables.contains(v) => {
                variables.iter().position(|p| p == v).expect("contained")
            }
            other => {
                let key = Variable::new_unchecked(format!("brikg_order_key_{i}"));
                taken = GraphPattern::Extend {
                    inner: Box::new(taken),
                    variable: key.clone(),
                    expression: other.clone(),
                };
                variables.push(key);
                variables.len() - 1
            }
        };
        keys.push(Key {
            column,
            descending,
            exact: false,
        });
    }
    **inner = taken;
    if distinct {
        keys.extend((0..visible.len()).map(|column| Key {
            column,
            descending: false,
            exact: true,
        }));
    }
    Some(OrderPlan {
        visible,
        keys,
        distinct,
        offset,
        limit,
        run_bytes: RUN_BYTES,
    })
}

fn empty() -> GraphPattern {
    GraphPattern::Bgp {
        patterns: Vec::new(),
    }
}

impl OrderPlan {
    /// The same plan with runs of at most `bytes` (tests make many small runs with it).
    pub fn with_run_bytes(mut self, bytes: usize) -> Self {
        self.run_bytes = bytes.max(1);
        self
    }

    /// Orders the engine's rows. The first error the engine reports is given first, with no
    /// rows, as the engine does when it orders.
    pub fn sort(
        self,
        solutions: QuerySolutionIter<'static>,
    ) -> Result<QuerySolutionIter<'static>, QueryEvaluationError> {
        let mut runs = Vec::new();
        let mut run: Vec<Row> = Vec::new();
        let mut bytes = 0;
        for (seq, solution) in (0u64..).zip(solutions) {
            let values: Vec<Option<Term>> = solution?.values().to_vec();
            bytes += row_bytes(&values);
            run.push(Row::new(values, &self.keys, seq));
            if bytes >= self.run_bytes {
                runs.push(write_run(&mut run, &self.keys)?);
                bytes = 0;
            }
        }
        let visible = self.visible.clone();
        let width = visible.len();
        let ordered: Box<dyn Iterator<Item = Result<Vec<Option<Term>>, QueryEvaluationError>>> =
            if runs.is_empty() {
                sort_run(&mut run, &self.keys);
                Box::new(run.into_iter().map(|r| Ok(r.values)))
            } else {
                if !run.is_empty() {
                    runs.push(write_run(&mut run, &self.keys)?);
                }
                Box::new(Merge::new(runs, self.keys.clone())?)
            };
        let ordered: Box<dyn Iterator<Item = Result<Vec<Option<Term>>, QueryEvaluationError>>> =
            if self.distinct {
                let mut last: Option<Vec<Option<Term>>> = None;
                Box::new(ordered.filter(move |row| match row {
                    Ok(values) => {
                        let repeated = last.as_ref().is_some_and(|l| l[..width] == values[..width]);
                        if !repeated {
                            last = Some(values.clone());
                        }
                        !repeated
                    }
                    Err(_) => true,
                }))
            } else {
                ordered
            };
        let rows = ordered
            .skip(self.offset)
            .take(self.limit.unwrap_or(usize::MAX))
            .map(move |row| {
                row.map(|mut values| {
                    values.truncate(width);
                    QuerySolution::from((visible.clone(), values))
                })
            });
        Ok(QuerySolutionIter::new(self.visible, rows))
    }
}

fn order_expression(e: &OrderExpression) -> &Expression {
    match e {
        OrderExpression::Asc(e) | OrderExpression::Desc(e) => e,
    }
}

/// Whether an expression reads no variable but these (and nothing that differs call to call).
fn reads_only(e: &Expression, allowed: &HashSet<&Variable>) -> bool {
    let mut ok = true;
    visit(e, &mut |e| match e {
        Expression::Variable(v) | Expression::Bound(v) => ok &= allowed.contains(v),
        Expression::Exists(_) => ok = false,
        Expression::FunctionCall(f, _) => {
            use spargebra::algebra::Function::*;
            ok &= !matches!(f, Rand | Now | Uuid | StrUuid | BNode);
        }
        _ => {}
    });
    ok
}

fn visit(e: &Expression, f: &mut impl FnMut(&Expression)) {
    f(e);
    match e {
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => {
            visit(a, f);
            visit(b, f);
        }
        Expression::In(a, list) => {
            visit(a, f);
            list.iter().for_each(|e| visit(e, f));
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => visit(a, f),
        Expression::If(a, b, c) => {
            visit(a, f);
            visit(b, f);
            visit(c, f);
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            list.iter().for_each(|e| visit(e, f))
        }
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_)
        | Expression::Exists(_) => {}
    }
}

/// A row with its keys ready to compare, and its place in the engine's order.
struct Row {
    keys: Vec<Option<ExpressionTerm>>,
    values: Vec<Option<Term>>,
    seq: u64,
}

impl Row {
    fn new(values: Vec<Option<Term>>, keys: &[Key], seq: u64) -> Self {
        let keys = keys
            .iter()
            .map(|k| {
                if k.exact {
                    None
                } else {
                    values[k.column].clone().map(ExpressionTerm::from)
                }
            })
            .collect();
        Row { keys, values, seq }
    }
}

fn cmp_rows(a: &Row, b: &Row, keys: &[Key]) -> Ordering {
    for (i, key) in keys.iter().enumerate() {
        let o = if key.exact {
            cmp_exact(a.values[key.column].as_ref(), b.values[key.column].as_ref())
        } else {
            cmp_terms(a.keys[i].as_ref(), b.keys[i].as_ref())
        };
        let o = if key.descending { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.seq.cmp(&b.seq)
}

fn sort_run(run: &mut [Row], keys: &[Key]) {
    run.sort_by(|a, b| cmp_rows(a, b, keys));
}

/// A total order in which only identical terms are equal.
fn cmp_exact(a: Option<&Term>, b: Option<&Term>) -> Ordering {
    fn parts(t: Option<&Term>) -> (u8, &str, &str, &str) {
        match t {
            None => (0, "", "", ""),
            Some(Term::BlankNode(b)) => (1, b.as_str(), "", ""),
            Some(Term::NamedNode(n)) => (2, n.as_str(), "", ""),
            Some(Term::Literal(l)) => (
                3,
                l.value(),
                l.datatype().as_str(),
                l.language().unwrap_or(""),
            ),
            #[allow(unreachable_patterns)]
            Some(_) => (4, "", "", ""),
        }
    }
    parts(a).cmp(&parts(b))
}

/// SPARQL's order of two terms (§15.1), as Oxigraph applies it to `ORDER BY`.
pub fn cmp_terms(a: Option<&ExpressionTerm>, b: Option<&ExpressionTerm>) -> Ordering {
    let (a, b) = match (a, b) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Less,
        (Some(_), None) => return Ordering::Greater,
        (Some(a), Some(b)) => (a, b),
    };
    let rank = |t: &ExpressionTerm| match t {
        ExpressionTerm::BlankNode(_) => 0,
        ExpressionTerm::NamedNode(_) => 1,
        _ => 2,
    };
    match (a, b) {
        (ExpressionTerm::BlankNode(a), ExpressionTerm::BlankNode(b)) => a.as_str().cmp(b.as_str()),
        (ExpressionTerm::NamedNode(a), ExpressionTerm::NamedNode(b)) => a.as_str().cmp(b.as_str()),
        _ if rank(a) != rank(b) => rank(a).cmp(&rank(b)),
        _ => cmp_literal_values(a, b).unwrap_or_else(|| {
            let (Term::Literal(a), Term::Literal(b)) =
                (Term::from(a.clone()), Term::from(b.clone()))
            else {
                return Ordering::Equal;
            };
            (a.value(), a.datatype(), a.language()).cmp(&(b.value(), b.datatype(), b.language()))
        }),
    }
}

/// The order of two literals by value, where their types compare (numbers with numbers,
/// strings with strings of the same language, dates with dates…); `None` otherwise.
fn cmp_literal_values(a: &ExpressionTerm, b: &ExpressionTerm) -> Option<Ordering> {
    use oxsdatatypes::{Decimal, Double, Float};
    use ExpressionTerm as T;
    match (a, b) {
        (T::StringLiteral(a), T::StringLiteral(b)) => Some(a.cmp(b)),
        (
            T::LangStringLiteral {
                value: va,
                language: la,
            },
            T::LangStringLiteral {
                value: vb,
                language: lb,
            },
        ) => (la == lb).then(|| va.cmp(vb)),
        (T::FloatLiteral(a), T::FloatLiteral(b)) => a.partial_cmp(b),
        (T::FloatLiteral(a), T::DoubleLiteral(b)) => Double::from(*a).partial_cmp(b),
        (T::FloatLiteral(a), T::IntegerLiteral(b)) => a.partial_cmp(&Float::from(*b)),
        (T::FloatLiteral(a), T::DecimalLiteral(b)) => a.partial_cmp(&Float::from(*b)),
        (T::DoubleLiteral(a), T::FloatLiteral(b)) => a.partial_cmp(&Double::from(*b)),
        (T::DoubleLiteral(a), T::DoubleLiteral(b)) => a.partial_cmp(b),
        (T::DoubleLiteral(a), T::IntegerLiteral(b)) => a.partial_cmp(&Double::from(*b)),
        (T::DoubleLiteral(a), T::DecimalLiteral(b)) => a.partial_cmp(&Double::from(*b)),
        (T::IntegerLiteral(a), T::FloatLiteral(b)) => Float::from(*a).partial_cmp(b),
        (T::IntegerLiteral(a), T::DoubleLiteral(b)) => Double::from(*a).partial_cmp(b),
        (T::IntegerLiteral(a), T::IntegerLiteral(b)) => a.partial_cmp(b),
        (T::IntegerLiteral(a), T::DecimalLiteral(b)) => Decimal::from(*a).partial_cmp(b),
        (T::DecimalLiteral(a), T::FloatLiteral(b)) => Float::from(*a).partial_cmp(b),
        (T::DecimalLiteral(a), T::DoubleLiteral(b)) => Double::from(*a).partial_cmp(b),
        (T::DecimalLiteral(a), T::IntegerLiteral(b)) => a.partial_cmp(&Decimal::from(*b)),
        (T::DecimalLiteral(a), T::DecimalLiteral(b)) => a.partial_cmp(b),
        (T::BooleanLiteral(a), T::BooleanLiteral(b)) => a.partial_cmp(b),
        (T::DateTimeLiteral(a), T::DateTimeLiteral(b)) => a.partial_cmp(b),
        (T::DateLiteral(a), T::DateLiteral(b)) => a.partial_cmp(b),
        (T::TimeLiteral(a), T::TimeLiteral(b)) => a.partial_cmp(b),
        (T::GYearLiteral(a), T::GYearLiteral(b)) => a.partial_cmp(b),
        (T::GYearMonthLiteral(a), T::GYearMonthLiteral(b)) => a.partial_cmp(b),
        (T::GMonthLiteral(a), T::GMonthLiteral(b)) => a.partial_cmp(b),
        (T::GMonthDayLiteral(a), T::GMonthDayLiteral(b)) => a.partial_cmp(b),
        (T::GDayLiteral(a), T::GDayLiteral(b)) => a.partial_cmp(b),
        (T::DurationLiteral(a), T::DurationLiteral(b)) => a.partial_cmp(b),
        (T::DurationLiteral(a), T::YearMonthDurationLiteral(b)) => a.partial_cmp(b),
        (T::DurationLiteral(a), T::DayTimeDurationLiteral(b)) => a.partial_cmp(b),
        (T::YearMonthDurationLiteral(a), T::DurationLiteral(b)) => a.partial_cmp(b),
        (T::YearMonthDurationLiteral(a), T::YearMonthDurationLiteral(b)) => a.partial_cmp(b),
        (T::YearMonthDurationLiteral(a), T::DayTimeDurationLiteral(b)) => a.partial_cmp(b),
        (T::DayTimeDurationLiteral(a), T::DurationLiteral(b)) => a.partial_cmp(b),
        (T::DayTimeDurationLiteral(a), T::YearMonthDurationLiteral(b)) => a.partial_cmp(b),
        (T::DayTimeDurationLiteral(a), T::DayTimeDurationLiteral(b)) => a.partial_cmp(b),
        _ => None,
    }
}

/// About what a row takes on the heap.
fn row_bytes(values: &[Option<Term>]) -> usize {
    64 + values
        .iter()
        .map(|v| {
            48 + match v {
                Some(Term::NamedNode(n)) => n.as_str().len(),
                Some(Term::BlankNode(b)) => b.as_str().len(),
                Some(Term::Literal(l)) => l.value().len() + l.language().map_or(0, str::len) + 32,
                _ => 0,
            }
        })
        .sum::<usize>()
}

/// Sorts a run and writes it to a temporary file (deleted when dropped): one row a line, its
/// sequence number then each term in N-Triples syntax (which escapes tabs and line breaks),
/// tab-separated, an unbound value as nothing.
fn write_run(run: &mut Vec<Row>, keys: &[Key]) -> Result<File, QueryEvaluationError> {
    sort_run(run, keys);
    let io = |e: std::io::Error| {
        QueryEvaluationError::Unexpected(
            format!("ordering the rows in a temporary file: {e}").into(),
        )
    };
    let file = tempfile::tempfile().map_err(io)?;
    let mut out = BufWriter::new(file);
    for row in run.drain(..) {
        write!(out, "{}", row.seq).map_err(io)?;
        for value in &row.values {
            out.write_all(b"\t").map_err(io)?;
            if let Some(term) = value {
                write!(out, "{term}").map_err(io)?;
            }
        }
        out.write_all(b"\n").map_err(io)?;
    }
    let mut file = out.into_inner().map_err(|e| io(e.into_error()))?;
    use std::io::Seek;
    file.rewind().map_err(io)?;
    Ok(file)
}

/// Reads the rows of a run back, in order.
struct RunReader {
    lines: std::io::Lines<BufReader<File>>,
}

impl RunReader {
    fn next_row(&mut self, keys: &[Key]) -> Result<Option<Row>, QueryEvaluationError> {
        let Some(line) = self.lines.next() else {
            return Ok(None);
        };
        let bad = |what: String| {
            QueryEvaluationError::Unexpected(
                format!("reading back ordered rows from a temporary file: {what}").into(),
            )
        };
        let line = line.map_err(|e| bad(e.to_string()))?;
        let mut fields = line.split('\t');
        let seq = fields
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("no sequence number".into()))?;
        let values = fields
            .map(|f| {
                if f.is_empty() {
                    Ok(None)
                } else {
                    Term::from_str(f).map(Some).map_err(|e| bad(e.to_string()))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(Row::new(values, keys, seq)))
    }
}

/// The head of one run, ordered in a max-heap so that the smallest row comes out first.
struct Head {
    row: Row,
    run: usize,
    keys: Arc<[Key]>,
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_rows(&other.row, &self.row, &self.keys)
    }
}

/// A k-way merge of sorted runs.
struct Merge {
    readers: Vec<RunReader>,
    heap: BinaryHeap<Head>,
    keys: Arc<[Key]>,
    failed: bool,
}

impl Merge {
    fn new(runs: Vec<File>, keys: Vec<Key>) -> Result<Self, QueryEvaluationError> {
        let keys: Arc<[Key]> = keys.into();
        let mut readers: Vec<RunReader> = runs
            .into_iter()
            .map(|f| RunReader {
                lines: BufReader::with_capacity(1 << 16, f).lines(),
            })
            .collect();
        let mut heap = BinaryHeap::with_capacity(readers.len());
        for (run, reader) in readers.iter_mut().enumerate() {
            if let Some(row) = reader.next_row(&keys)? {
                heap.push(Head {
                    row,
                    run,
                    keys: keys.clone(),
                });
            }
        }
        Ok(Merge {
            readers,
            heap,
            keys,
            failed: false,
        })
    }
}

impl Iterator for Merge {
    type Item = Result<Vec<Option<Term>>, QueryEvaluationError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let Head { row, run, .. } = self.heap.pop()?;
        match self.readers[run].next_row(&self.keys) {
            Ok(Some(next)) => self.heap.push(Head {
                row: next,
                run,
                keys: self.keys.clone(),
            }),
            Ok(None) => {}
            Err(e) => {
                self.failed = true;
                return Some(Err(e));
            }
        }
        Some(Ok(row.values))
    }
}
