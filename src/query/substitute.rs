//! Binding a parameter by substitution: every occurrence of the variable in the query's algebra
//! becomes the constant, so the engine starts from it (an index lookup on the bound term)
//! instead of evaluating the whole query and filtering last, as a `VALUES` table joined on top
//! makes it do. The variable stays in the results: the constant is bound to it again just under
//! the projection. The value is a term in the algebra, never text pasted into the query, so it
//! cannot change the query's structure; the rewritten algebra serializes to SPARQL 1.1 that any
//! engine runs.

use oxigraph::model::{Literal, NamedNode, Term, Variable};
use spargebra::algebra::{
    AggregateExpression, Expression, GraphPattern, OrderExpression, PropertyPathExpression,
};
use spargebra::term::{GroundTerm, NamedNodePattern, TermPattern, TriplePattern};
use spargebra::Query;

/// Substitutes each variable by its term throughout `query`.
pub fn substitute(mut query: Query, bindings: &[(Variable, Term)]) -> Result<Query, String> {
    if bindings.is_empty() {
        return Ok(query);
    }
    for (variable, term) in bindings {
        if matches!(term, Term::BlankNode(_)) {
            return Err(format!(
                "?{} cannot be bound to {term}: use an IRI or a literal",
                variable.as_str()
            ));
        }
    }
    let pattern = match &mut query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    let s = Substitution { bindings };
    // The top-level projection keeps the variables; projections inside (subqueries, groups)
    // lose them, so that the constant bound again at the top is not already in scope there.
    let top_projection = top_projection(pattern).cloned();
    let mut rewritten = s.pattern(std::mem::replace(
        pattern,
        GraphPattern::Bgp {
            patterns: Vec::new(),
        },
    ));
    if let (Some(original), Some(variables)) = (top_projection, top_projection_mut(&mut rewritten))
    {
        *variables = original;
    }
    // Keep each variable in the answer: bind it again under the solution modifiers.
    let mut target = &mut *pattern;
    *target = rewritten;
    while let GraphPattern::Slice { inner, .. }
    | GraphPattern::Distinct { inner }
    | GraphPattern::Reduced { inner }
    | GraphPattern::Project { inner, .. }
    | GraphPattern::OrderBy { inner, .. } = target
    {
        target = inner;
    }
    let mut inner = std::mem::replace(
        target,
        GraphPattern::Bgp {
            patterns: Vec::new(),
        },
    );
    for (variable, term) in bindings {
        inner = GraphPattern::Extend {
            inner: Box::new(inner),
            variable: variable.clone(),
            expression: constant(term),
        };
    }
    *target = inner;
    Ok(query)
}

/// The variables of the top-level `SELECT`, under the other solution modifiers.
fn top_projection(mut p: &GraphPattern) -> Option<&Vec<Variable>> {
    loop {
        match p {
            GraphPattern::Project { variables, .. } => return Some(variables),
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner } => p = inner,
            _ => return None,
        }
    }
}

fn top_projection_mut(mut p: &mut GraphPattern) -> Option<&mut Vec<Variable>> {
    loop {
        match p {
            GraphPattern::Project { variables, .. } => return Some(variables),
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner } => p = inner,
            _ => return None,
        }
    }
}

fn constant(term: &Term) -> Expression {
    match term {
        Term::NamedNode(n) => Expression::NamedNode(n.clone()),
        Term::Literal(l) => Expression::Literal(l.clone()),
        other => Expression::Literal(Literal::new_simple_literal(other.to_string())),
    }
}

struct Substitution<'a> {
    bindings: &'a [(Variable, Term)],
}

impl Substitution<'_> {
    fn term_of(&self, v: &Variable) -> Option<&Term> {
        self.bindings
            .iter()
            .find(|(var, _)| var == v)
            .map(|(_, t)| t)
    }

    fn pattern(&self, p: GraphPattern) -> GraphPattern {
        let b = |p: Box<GraphPattern>| Box::new(self.pattern(*p));
        match p {
            GraphPattern::Bgp { patterns } => GraphPattern::Bgp {
                patterns: patterns.into_iter().map(|t| self.triple(t)).collect(),
            },
            GraphPattern::Path {
                subject,
                path,
                object,
            } => GraphPattern::Path {
                subject: self.term(subject),
                path: self.path(path),
                object: self.term(object),
            },
            GraphPattern::Join { left, right } => GraphPattern::Join {
                left: b(left),
                right: b(right),
            },
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => GraphPattern::LeftJoin {
                left: b(left),
                right: b(right),
                expression: expression.map(|e| self.expression(e)),
            },
            GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
                expr: self.expression(expr),
                inner: b(inner),
            },
            GraphPattern::Union { left, right } => GraphPattern::Union {
                left: b(left),
                right: b(right),
            },
            GraphPattern::Graph { name, inner } => GraphPattern::Graph {
                name: self.named_node(name),
                inner: b(inner),
            },
            GraphPattern::Extend {
                inner,
                variable,
                expression,
            } => GraphPattern::Extend {
                inner: b(inner),
                variable,
                expression: self.expression(expression),
            },
            GraphPattern::Minus { left, right } => GraphPattern::Minus {
                left: b(left),
                right: b(right),
            },
            GraphPattern::Values {
                variables,
                bindings,
            } => self.values(variables, bindings),
            GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
                inner: b(inner),
                expression: expression
                    .into_iter()
                    .map(|e| match e {
                        OrderExpression::Asc(e) => OrderExpression::Asc(self.expression(e)),
                        OrderExpression::Desc(e) => OrderExpression::Desc(self.expression(e)),
                    })
                    .collect(),
            },
            GraphPattern::Project { inner, variables } => {
                let mut kept: Vec<Variable> = variables
                    .into_iter()
                    .filter(|v| self.term_of(v).is_none())
                    .collect();
                if kept.is_empty() {
                    // `SELECT` of nothing would read as `SELECT *`: project an unused variable.
                    kept.push(Variable::new_unchecked("brikg_bound"));
                }
                GraphPattern::Project {
                    inner: b(inner),
                    variables: kept,
                }
            }
            GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: b(inner) },
            GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: b(inner) },
            GraphPattern::Slice {
                inner,
                start,
                length,
            } => GraphPattern::Slice {
                inner: b(inner),
                start,
                length,
            },
            GraphPattern::Group {
                inner,
                variables,
                aggregates,
            } => GraphPattern::Group {
                inner: b(inner),
                variables: variables
                    .into_iter()
                    .filter(|v| self.term_of(v).is_none())
                    .collect(),
                aggregates: aggregates
                    .into_iter()
                    .map(|(v, a)| (v, self.aggregate(a)))
                    .collect(),
            },
            GraphPattern::Service {
                name,
                inner,
                silent,
            } => GraphPattern::Service {
                name: self.named_node(name),
                inner: b(inner),
                silent,
            },
            #[allow(unreachable_patterns)]
            other => other,
        }
    }

    /// A `VALUES` row that gives a bound variable another value can never match: it is dropped;
    /// the column of a bound variable goes.
    fn values(
        &self,
        variables: Vec<Variable>,
        bindings: Vec<Vec<Option<GroundTerm>>>,
    ) -> GraphPattern {
        let bound: Vec<Option<&Term>> = variables.iter().map(|v| self.term_of(v)).collect();
        let rows = bindings
            .into_iter()
            .filter(|row| {
                row.iter()
                    .zip(&bound)
                    .all(|(cell, term)| match (cell, term) {
                        (Some(cell), Some(term)) => ground_equals(cell, term),
                        _ => true,
                    })
            })
            .map(|row| {
                row.into_iter()
                    .zip(&bound)
                    .filter(|(_, term)| term.is_none())
                    .map(|(cell, _)| cell)
                    .collect()
            })
            .collect();
        GraphPattern::Values {
            variables: variables
                .into_iter()
                .zip(&bound)
                .filter(|(_, term)| term.is_none())
                .map(|(v, _)| v)
                .collect(),
            bindings: rows,
        }
    }

    fn triple(&self, t: TriplePattern) -> TriplePattern {
        TriplePattern {
            subject: self.term(t.subject),
            predicate: self.named_node(t.predicate),
            object: self.term(t.object),
        }
    }

    fn term(&self, t: TermPattern) -> TermPattern {
        match t {
            TermPattern::Variable(v) => match self.term_of(&v) {
                Some(Term::NamedNode(n)) => TermPattern::NamedNode(n.clone()),
                Some(Term::Literal(l)) => TermPattern::Literal(l.clone()),
                _ => TermPattern::Variable(v),
            },
            other => other,
        }
    }

    fn named_node(&self, n: NamedNodePattern) -> NamedNodePattern {
        match n {
            NamedNodePattern::Variable(v) => match self.term_of(&v) {
                Some(Term::NamedNode(node)) => NamedNodePattern::NamedNode(node.clone()),
                // A literal where only an IRI can stand matches nothing.
                Some(_) => NamedNodePattern::NamedNode(NamedNode::new_unchecked(
                    "urn:x-brikg:no-such-graph",
                )),
                None => NamedNodePattern::Variable(v),
            },
            other => other,
        }
    }

    fn path(&self, p: PropertyPathExpression) -> PropertyPathExpression {
        p
    }

    fn aggregate(&self, a: AggregateExpression) -> AggregateExpression {
        match a {
            AggregateExpression::FunctionCall {
                name,
                expr,
                distinct,
            } => AggregateExpression::FunctionCall {
                name,
                expr: self.expression(expr),
                distinct,
            },
            other => other,
        }
    }

    fn expression(&self, e: Expression) -> Expression {
        let b = |e: Box<Expression>| Box::new(self.expression(*e));
        match e {
            Expression::Variable(v) => match self.term_of(&v) {
                Some(term) => constant(term),
                None => Expression::Variable(v),
            },
            // A bound parameter is bound.
            Expression::Bound(v) if self.term_of(&v).is_some() => {
                Expression::Literal(Literal::from(true))
            }
            Expression::Or(l, r) => Expression::Or(b(l), b(r)),
            Expression::And(l, r) => Expression::And(b(l), b(r)),
            Expression::Equal(l, r) => Expression::Equal(b(l), b(r)),
            Expression::SameTerm(l, r) => Expression::SameTerm(b(l), b(r)),
            Expression::Greater(l, r) => Expression::Greater(b(l), b(r)),
            Expression::GreaterOrEqual(l, r) => Expression::GreaterOrEqual(b(l), b(r)),
            Expression::Less(l, r) => Expression::Less(b(l), b(r)),
            Expression::LessOrEqual(l, r) => Expression::LessOrEqual(b(l), b(r)),
            Expression::In(l, list) => {
                Expression::In(b(l), list.into_iter().map(|e| self.expression(e)).collect())
            }
            Expression::Add(l, r) => Expression::Add(b(l), b(r)),
            Expression::Subtract(l, r) => Expression::Subtract(b(l), b(r)),
            Expression::Multiply(l, r) => Expression::Multiply(b(l), b(r)),
            Expression::Divide(l, r) => Expression::Divide(b(l), b(r)),
            Expression::UnaryPlus(e) => Expression::UnaryPlus(b(e)),
            Expression::UnaryMinus(e) => Expression::UnaryMinus(b(e)),
            Expression::Not(e) => Expression::Not(b(e)),
            Expression::Exists(p) => Expression::Exists(Box::new(self.pattern(*p))),
            Expression::If(c, t, f) => Expression::If(b(c), b(t), b(f)),
            Expression::Coalesce(list) => {
                Expression::Coalesce(list.into_iter().map(|e| self.expression(e)).collect())
            }
            Expression::FunctionCall(f, args) => {
                Expression::FunctionCall(f, args.into_iter().map(|e| self.expression(e)).collect())
            }
            other => other,
        }
    }
}

fn ground_equals(cell: &GroundTerm, term: &Term) -> bool {
    match (cell, term) {
        (GroundTerm::NamedNode(a), Term::NamedNode(b)) => a == b,
        (GroundTerm::Literal(a), Term::Literal(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(query: &str, bindings: &[(&str, Term)]) -> String {
        let query = spargebra::SparqlParser::new().parse_query(query).unwrap();
        let bindings: Vec<(Variable, Term)> = bindings
            .iter()
            .map(|(v, t)| (Variable::new_unchecked(*v), t.clone()))
            .collect();
        substitute(query, &bindings).unwrap().to_string()
    }

    #[test]
    fn the_constant_replaces_the_variable_everywhere_and_stays_in_the_answer() {
        let c = Term::NamedNode(NamedNode::new_unchecked("http://example.org/c/IT"));
        assert_eq!(
            rewrite(
                "SELECT ?c ?n WHERE { { SELECT ?c WHERE { GRAPH ?g { ?s <http://p> ?c } } } ?c <http://n> ?n FILTER(!BOUND(?c) || ?c != <http://x>) }",
                &[("c", c)]
            ),
            "SELECT (<http://example.org/c/IT> AS ?c) ?n WHERE { { SELECT ?brikg_bound WHERE { GRAPH ?g { ?s <http://p> <http://example.org/c/IT> . } } } <http://example.org/c/IT> <http://n> ?n . FILTER((!\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean> || !(<http://example.org/c/IT> = <http://x>))) }"
        );
    }

    #[test]
    fn a_graph_variable_becomes_the_graph() {
        let g = Term::NamedNode(NamedNode::new_unchecked("http://example.org/graph/a"));
        assert_eq!(
            rewrite("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", &[("g", g)]),
            "SELECT ?s WHERE { GRAPH <http://example.org/graph/a> { ?s ?p ?o . } BIND(<http://example.org/graph/a> AS ?g) }"
        );
    }

    #[test]
    fn a_literal_cannot_change_the_query() {
        let injection = Term::Literal(Literal::new_simple_literal("IT\" } UNION { ?c ?p ?o } #"));
        let text = rewrite(
            "SELECT ?c WHERE { ?c <http://code> ?code }",
            &[("code", injection)],
        );
        assert_eq!(
            text,
            "SELECT ?c WHERE { ?c <http://code> \"IT\\\" } UNION { ?c ?p ?o } #\" . BIND(\"IT\\\" } UNION { ?c ?p ?o } #\" AS ?code) }"
        );
    }
}
