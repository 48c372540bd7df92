//! Loop bodies of NUMBER statements, compiled to closures.
//!
//! A `for each` body whose statements are all NUMBER assignments (`m = (i * i) % 7;`), NUMBER
//! additions (`s = s + m;`) and `if`s on NUMBER comparisons whose branches are each at most one
//! such statement compiles to a [`NumberBlock`] besides its statements. The interpreter runs
//! an iteration through it: one closure per statement on the frame's slots, without the
//! statement dispatch, the `Result`s and the block calls of the general path.
//!
//! Each statement's closure either completes or gives up before it changes anything: an
//! operand is not a NUMBER, or the arithmetic overflows or divides by zero. The interpreter
//! then runs the body from that statement on as usual, which gives the general value or error.
//! That is why an `if` branch holds at most one statement: a longer one could give up half-way,
//! after changing a variable. The statements a run completes are counted as the general path
//! counts them, and the interpreter only takes this path when they cannot reach its next limit
//! check (see [`NumberBlock::max_steps`]).

use std::fmt;

use crate::eval::ir::{is_arithmetic, BinOp, Block, Expr, IfStmt, NumberOp, Slot, Stmt};
use crate::eval::number_code::{store_number, NumberCode, StoreCode};
use crate::eval::value::Value;

/// One statement on the frame's slots: the statements it ran (itself included, as the general
/// path counts them), or `None`, having changed nothing, when the general path must run it.
type StmtCode = StoreCode;

/// A loop body compiled to one closure per statement.
pub struct NumberBlock {
    statements: Box<[StmtCode]>,
    max_steps: u64,
}

/// How far a [`NumberBlock::run_indexes`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexRun {
    /// Every iteration ran through the block; `steps` items and statements were counted.
    Finished {
        /// Items and statements counted.
        steps: u64,
    },
    /// Iteration `index` set the variable, then its statement `at` gave up, unchanged.
    Stopped {
        /// The iteration the general path must finish.
        index: usize,
        /// The first statement the general path must run.
        at: usize,
        /// Items and statements counted, that iteration's included.
        steps: u64,
    },
}

/// How far a [`NumberBlock::run`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockRun {
    /// Every statement ran; `steps` statements were counted.
    Finished {
        /// Statements run, nested ones included.
        steps: u64,
    },
    /// Statement `at` gave up, unchanged; the ones before it ran and counted `steps`.
    Stopped {
        /// The first statement the general path must run.
        at: usize,
        /// Statements run before it, nested ones included.
        steps: u64,
    },
}

impl NumberBlock {
    /// `block` compiled, when every statement in it is a NUMBER statement (see the module
    /// documentation) and there is more than one or an `if`; `None` otherwise. One assignment
    /// alone is as fast through the general path, which the interpreter inlines into its loop.
    pub fn compile(block: &Block) -> Option<NumberBlock> {
        if !matches!(&block[..], [_, _, ..] | [(Stmt::If(_), _)]) {
            return None;
        }
        let mut max_steps = 0;
        let statements = block
            .iter()
            .map(|(stmt, _)| {
                let (code, steps) = statement(stmt)?;
                max_steps += steps;
                Some(code)
            })
            .collect::<Option<Box<[_]>>>()?;
        Some(NumberBlock {
            statements,
            max_steps,
        })
    }

    /// The most statements one run counts: the interpreter takes this path only when that many
    /// cannot reach its next statement-limit, clock, progress or coverage check.
    pub fn max_steps(&self) -> u64 {
        self.max_steps
    }

    /// Runs the statements in order on `frame` (the current function's slots) until one gives
    /// up.
    #[inline]
    pub fn run(&self, frame: &mut [Value]) -> BlockRun {
        let mut steps = 0;
        for (at, statement) in self.statements.iter().enumerate() {
            match statement(frame) {
                Some(ran) => steps += ran,
                None => return BlockRun::Stopped { at, steps },
            }
        }
        BlockRun::Finished { steps }
    }

    /// Runs iterations `indexes` of a `for each index` loop whose variable is `frame[var]`:
    /// each sets the variable to its index, counts it as the general path counts an item, and
    /// runs the block, until an iteration's block gives up. This is the loop without the
    /// general path's work per iteration (choosing the item, slicing the frame, the
    /// interpreter's step counter). `None`, having done nothing, when `var` is not in `frame`.
    pub(crate) fn run_indexes(
        &self,
        frame: &mut [Value],
        var: usize,
        indexes: std::ops::Range<usize>,
    ) -> Option<IndexRun> {
        if var >= frame.len() {
            return None;
        }
        let mut steps = 0;
        for index in indexes {
            set_index(&mut frame[var], index);
            steps += 1;
            match self.run(frame) {
                BlockRun::Finished { steps: ran } => steps += ran,
                BlockRun::Stopped { at, steps: ran } => {
                    return Some(IndexRun::Stopped {
                        index,
                        at,
                        steps: steps + ran,
                    })
                }
            }
        }
        Some(IndexRun::Finished { steps })
    }
}

/// Sets a loop variable to the NUMBER `index`, overwriting the NUMBER it held in place.
#[inline(always)]
fn set_index(variable: &mut Value, index: usize) {
    let index = index as i64;
    match variable {
        Value::Number(n) => *n = index,
        other => drop(std::mem::replace(other, Value::Number(index))),
    }
}

impl fmt::Debug for NumberBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NumberBlock")
            .field("statements", &self.statements.len())
            .field("max_steps", &self.max_steps)
            .finish()
    }
}

/// A NUMBER statement's closure and the most statements it counts.
fn statement(stmt: &Stmt) -> Option<(StmtCode, u64)> {
    match stmt {
        Stmt::Assign(slot, Expr::NumberOp(op)) if is_arithmetic(op.binary.op) => {
            let value = &op.binary;
            let code = NumberCode::compile_store(value.op, &value.lhs, &value.rhs, *slot)?;
            Some((code, 1))
        }
        Stmt::Assign(slot, value) => Some((store(*slot, NumberCode::value(value)?), 1)),
        Stmt::AddNumber(add) => {
            let current = Expr::Local(add.slot);
            let code = NumberCode::compile_store(BinOp::Add, &current, &add.value, add.slot)?;
            Some((code, 1))
        }
        Stmt::If(if_stmt) => if_statement(if_stmt),
        _ => None,
    }
}

/// `slot = code;` where `code` is a variable or a literal (arithmetic is one closure, from
/// [`NumberCode::compile_store`]).
fn store(slot: Slot, code: NumberCode) -> StmtCode {
    let slot = slot as usize;
    Box::new(move |frame| {
        let number = code.run(frame)?;
        store_number(frame, slot, number)
    })
}

/// An `if` on NUMBER comparisons whose branches are each at most one NUMBER statement. The
/// conditions change nothing, so giving up at any of them, or in the branch taken, leaves the
/// frame as it was.
fn if_statement(if_stmt: &IfStmt) -> Option<(StmtCode, u64)> {
    if let [(Expr::NumberOp(op), _, then)] = &*if_stmt.branches {
        return one_test(op, then, if_stmt.otherwise.as_ref());
    }
    let mut max_branch = 0;
    let branches = if_stmt
        .branches
        .iter()
        .map(|(cond, _, body)| {
            let (body, steps) = branch(body)?;
            max_branch = max_branch.max(steps);
            Some((comparison(cond)?, body))
        })
        .collect::<Option<Box<[_]>>>()?;
    let otherwise = match &if_stmt.otherwise {
        Some(body) => {
            let (body, steps) = branch(body)?;
            max_branch = max_branch.max(steps);
            body
        }
        None => None,
    };
    let code: StmtCode = Box::new(move |frame| {
        for (test, body) in branches.iter() {
            if test.run(frame)? != 0 {
                return run_branch(body.as_ref(), frame);
            }
        }
        run_branch(otherwise.as_ref(), frame)
    });
    Some((code, 1 + max_branch))
}

/// `if (lhs op rhs) { then } else { otherwise }`: the comparison and the choice of branch in
/// one closure.
fn one_test(op: &NumberOp, then: &Block, otherwise: Option<&Block>) -> Option<(StmtCode, u64)> {
    let (then, then_steps) = branch(then)?;
    let (otherwise, otherwise_steps) = match otherwise {
        Some(body) => branch(body)?,
        None => (None, 0),
    };
    let test = &op.binary;
    let code = NumberCode::compile_test(test.op, &test.lhs, &test.rhs, move |taken, frame| {
        if taken {
            run_branch(then.as_ref(), frame)
        } else {
            run_branch(otherwise.as_ref(), frame)
        }
    })?;
    Some((code, 1 + then_steps.max(otherwise_steps)))
}

/// The `if` itself and its branch's statement, if any.
#[inline(always)]
fn run_branch(body: Option<&StmtCode>, frame: &mut [Value]) -> Option<u64> {
    match body {
        Some(body) => Some(1 + body(frame)?),
        None => Some(1),
    }
}

/// A branch's one NUMBER statement (`None` for an empty branch) and the most it counts.
fn branch(block: &Block) -> Option<(Option<StmtCode>, u64)> {
    match &block[..] {
        [] => Some((None, 0)),
        [(stmt, _)] => {
            let (code, steps) = statement(stmt)?;
            Some((Some(code), steps))
        }
        _ => None,
    }
}

/// A condition that is a NUMBER comparison, compiled (1 for true).
fn comparison(cond: &Expr) -> Option<NumberCode> {
    match cond {
        Expr::NumberOp(op) if op.comparison => Some(op.code.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::ir::{AddNumber, BinOp};
    use crate::syntax::span::Span;

    fn span() -> Span {
        Span::new(0, 1)
    }

    fn block(statements: Vec<Stmt>) -> Block {
        statements.into_iter().map(|s| (s, span())).collect()
    }

    fn op(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
        Expr::binary(op, lhs, rhs, span())
    }

    /// `slot = slot + value;`
    fn add(slot: Slot, value: Expr) -> Stmt {
        let sum = NumberCode::compile(BinOp::Add, &Expr::Local(slot), &value).unwrap();
        Stmt::AddNumber(Box::new(AddNumber {
            slot,
            sum,
            value,
            span: span(),
        }))
    }

    /// `if (slot > limit) { then } else { otherwise }`
    fn if_greater(slot: Slot, limit: i64, then: Vec<Stmt>, otherwise: Vec<Stmt>) -> Stmt {
        let cond = op(BinOp::Gt, Expr::Local(slot), Expr::Number(limit));
        Stmt::If(Box::new(IfStmt {
            branches: vec![(cond, span(), block(then))].into(),
            otherwise: Some(block(otherwise)),
        }))
    }

    /// The loop program's body: slot 0 is `i`, 1 is `m`, 2 is `s`.
    fn loop_body() -> Block {
        let square = op(BinOp::Mul, Expr::Local(0), Expr::Local(0));
        block(vec![
            Stmt::Assign(1, op(BinOp::Rem, square, Expr::Number(7))),
            if_greater(
                1,
                2,
                vec![add(2, Expr::Local(1))],
                vec![add(2, Expr::Number(1))],
            ),
        ])
    }

    #[test]
    fn the_loop_programs_body_runs_and_counts_its_statements() {
        let body = NumberBlock::compile(&loop_body()).unwrap();
        assert_eq!(body.max_steps(), 3);
        let mut frame = [Value::Number(3), Value::Null, Value::Number(10)];
        assert_eq!(body.run(&mut frame), BlockRun::Finished { steps: 3 });
        assert_eq!(frame[1], Value::Number(2));
        assert_eq!(frame[2], Value::Number(11));
        frame[0] = Value::Number(5);
        assert_eq!(body.run(&mut frame), BlockRun::Finished { steps: 3 });
        assert_eq!(frame[2], Value::Number(15));
    }

    #[test]
    fn a_statement_that_gives_up_leaves_the_frame_as_it_was() {
        let body = NumberBlock::compile(&loop_body()).unwrap();
        let text = Value::Text("x".into());
        let mut frame = [Value::Number(3), Value::Null, text.clone()];
        assert_eq!(body.run(&mut frame), BlockRun::Stopped { at: 1, steps: 1 });
        assert_eq!(frame[1], Value::Number(2));
        assert_eq!(frame[2], text);
        let mut overflow = [Value::Number(i64::MAX), Value::Null, Value::Number(0)];
        assert_eq!(body.run(&mut overflow), BlockRun::Stopped { at: 0, steps: 0 });
        assert_eq!(overflow[1], Value::Null);
    }

    #[test]
    fn index_iterations_set_the_variable_and_count_each_item_and_statement() {
        let body = NumberBlock::compile(&loop_body()).unwrap();
        let mut frame = [Value::Text("before".into()), Value::Null, Value::Number(0)];
        let run = body.run_indexes(&mut frame, 0, 0..5);
        // Five items, and three statements each; 0..5 squared mod 7 is 0, 1, 4, 2, 2.
        assert_eq!(run, Some(IndexRun::Finished { steps: 20 }));
        assert_eq!(frame[0], Value::Number(4));
        assert_eq!(frame[2], Value::Number(1 + 1 + 4 + 1 + 1));
    }

    #[test]
    fn an_index_iteration_that_gives_up_says_which_and_where() {
        let body = NumberBlock::compile(&loop_body()).unwrap();
        // Indexes 10 to 12 add 1, 1 and 4 (their squares mod 7 are 2, 2 and 4), which brings
        // `s` to its maximum; 13 adds 1, and its `if` gives up on the overflow.
        let mut frame = [Value::Null, Value::Null, Value::Number(i64::MAX - 6)];
        let run = body.run_indexes(&mut frame, 0, 10..20);
        // Three whole iterations (the item and three statements each), then 13's item and `m`.
        assert_eq!(run, Some(IndexRun::Stopped { index: 13, at: 1, steps: 14 }));
        assert_eq!(frame[0], Value::Number(13));
        assert_eq!(frame[1], Value::Number(1));
        assert_eq!(frame[2], Value::Number(i64::MAX));
    }

    #[test]
    fn a_loop_variable_outside_the_frame_runs_nothing() {
        let body = NumberBlock::compile(&loop_body()).unwrap();
        let mut frame = [Value::Null, Value::Null, Value::Number(0)];
        assert_eq!(body.run_indexes(&mut frame, 3, 0..5), None);
        assert_eq!(frame[2], Value::Number(0));
    }

    #[test]
    fn only_bodies_of_number_statements_with_short_branches_compile() {
        let assign = || Stmt::Assign(1, Expr::Local(0));
        assert!(NumberBlock::compile(&block(vec![])).is_none());
        assert!(NumberBlock::compile(&block(vec![assign()])).is_none());
        assert!(NumberBlock::compile(&block(vec![assign(), assign()])).is_some());
        let long_branch = if_greater(0, 1, vec![assign(), assign()], vec![]);
        assert!(NumberBlock::compile(&block(vec![long_branch])).is_none());
        let text = Stmt::Assign(1, Expr::Const(0));
        assert!(NumberBlock::compile(&block(vec![assign(), text])).is_none());
        let truth = Stmt::Assign(1, op(BinOp::Lt, Expr::Local(0), Expr::Number(1)));
        assert!(NumberBlock::compile(&block(vec![assign(), truth])).is_none());
        let nested = if_greater(0, 1, vec![if_greater(0, 2, vec![assign()], vec![])], vec![]);
        let nested = NumberBlock::compile(&block(vec![nested])).unwrap();
        assert_eq!(nested.max_steps(), 3);
    }
}
