//! NUMBER arithmetic and comparisons of variables and literals, compiled to closures.
//!
//! The compiler turns `a op b`, where each operand is a variable, a NUMBER literal or such
//! arithmetic, into a [`NumberCode`]: one closure per operator and operand shape (`i % 7`,
//! `i * i`, `n < 2`), with the slots and literals captured. The interpreter calls it with the
//! frame's slots and gets the result on `i64`s, without matching the operands' expression kinds
//! or the operator at run time. `None` hands the expression to the general operators: an
//! operand is not a NUMBER, or the arithmetic overflows or divides by zero.
//!
//! The operators are defined once, as the [`Apply`] types; [`arithmetic_i64`] and
//! [`compare_i64`] pick one by [`BinOp`] for the paths that know the operator only at run time.

use std::fmt;
use std::sync::Arc;

use crate::eval::interp::release;
use crate::eval::ir::{is_arithmetic, is_comparison, BinOp, Expr, Slot};
use crate::eval::value::Value;

type Code = Arc<dyn Fn(&[Value]) -> Option<i64> + Send + Sync>;

/// A compiled NUMBER assignment (see [`NumberCode::compile_store`]).
pub type StoreCode = Box<dyn Fn(&mut [Value]) -> Option<u64> + Send + Sync>;

/// `$build::<O>($args)` for the arithmetic operator `$op`; `return None` from the enclosing
/// function for any other.
macro_rules! arithmetic {
    ($op:expr, $build:ident, $($arg:expr),*) => {
        match $op {
            BinOp::Add => $build::<Add>($($arg),*),
            BinOp::Sub => $build::<Sub>($($arg),*),
            BinOp::Mul => $build::<Mul>($($arg),*),
            BinOp::Div => $build::<Div>($($arg),*),
            BinOp::Rem => $build::<Rem>($($arg),*),
            _ => return None,
        }
    };
}

/// `$build::<O>($args)` for the comparison `$op`; `return None` from the enclosing function
/// for any other operator.
macro_rules! comparison {
    ($op:expr, $build:ident, $($arg:expr),*) => {
        match $op {
            BinOp::Lt => $build::<Lt>($($arg),*),
            BinOp::Le => $build::<Le>($($arg),*),
            BinOp::Gt => $build::<Gt>($($arg),*),
            BinOp::Ge => $build::<Ge>($($arg),*),
            BinOp::Eq => $build::<Eq>($($arg),*),
            BinOp::Ne => $build::<Ne>($($arg),*),
            _ => return None,
        }
    };
}

/// The compiled form of an [`Expr::NumberOp`]: its result from the frame's slots, with a
/// comparison giving 1 or 0; `None` when the general path must decide.
#[derive(Clone)]
pub struct NumberCode(Code);

impl NumberCode {
    /// `lhs op rhs` compiled, when `op` is arithmetic or a comparison and each operand is a
    /// variable, a NUMBER literal or NUMBER arithmetic; `None` otherwise.
    pub fn compile(op: BinOp, lhs: &Expr, rhs: &Expr) -> Option<NumberCode> {
        let (lhs, rhs) = (Operand::of(lhs)?, Operand::of(rhs)?);
        let code = if is_comparison(op) {
            comparison!(op, shape, lhs, rhs)
        } else {
            arithmetic!(op, shape, lhs, rhs)
        };
        Some(NumberCode(code))
    }

    /// `lhs op rhs` for a comparison `op`, compiled together with what it decides: one closure
    /// that compares, then gives what `then` gives for the outcome (an `if` whose condition it
    /// is). `None` when `op` is not a comparison or an operand is not a variable, a NUMBER
    /// literal or NUMBER arithmetic; the closure gives `None`, having changed nothing, when an
    /// operand at run time is not a NUMBER.
    pub fn compile_test(
        op: BinOp,
        lhs: &Expr,
        rhs: &Expr,
        then: impl Fn(bool, &mut [Value]) -> Option<u64> + Send + Sync + 'static,
    ) -> Option<StoreCode> {
        let (lhs, rhs) = (Operand::of(lhs)?, Operand::of(rhs)?);
        Some(comparison!(op, test_shape, lhs, rhs, then))
    }

    /// `slot = lhs op rhs;` compiled to one closure, when `op` is arithmetic and each operand
    /// is a variable, a NUMBER literal or NUMBER arithmetic; `None` otherwise. The closure
    /// stores the result and gives `Some(1)` (the one statement it ran), or `None`, having
    /// changed nothing, when the general path must run the statement.
    pub fn compile_store(op: BinOp, lhs: &Expr, rhs: &Expr, slot: Slot) -> Option<StoreCode> {
        let (lhs, rhs) = (Operand::of(lhs)?, Operand::of(rhs)?);
        let slot = slot as usize;
        Some(arithmetic!(op, store_shape, lhs, rhs, slot))
    }

    /// The NUMBER `e` gives, compiled, when `e` is a variable, a NUMBER literal or NUMBER
    /// arithmetic; `None` otherwise.
    pub fn value(e: &Expr) -> Option<NumberCode> {
        let code: Code = match Operand::of(e)? {
            Operand::Slot(slot) => Arc::new(move |s| number_at(s, slot)),
            Operand::Number(n) => Arc::new(move |_| Some(n)),
            Operand::Code(code) => return Some(code),
        };
        Some(NumberCode(code))
    }

    /// The result for the frame `slots` (the current function's variables, slot 0 first).
    #[inline(always)]
    pub fn run(&self, slots: &[Value]) -> Option<i64> {
        (self.0)(slots)
    }
}

impl fmt::Debug for NumberCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NumberCode")
    }
}

/// An operand, as the closures capture it.
enum Operand {
    Slot(usize),
    Number(i64),
    Code(NumberCode),
}

impl Operand {
    fn of(e: &Expr) -> Option<Operand> {
        match e {
            Expr::Local(slot) => Some(Operand::Slot(*slot as usize)),
            Expr::Number(n) => Some(Operand::Number(*n)),
            Expr::NumberOp(op) if is_arithmetic(op.binary.op) => {
                Some(Operand::Code(op.code.clone()))
            }
            _ => None,
        }
    }
}

/// Slot `slot` of the frame as a NUMBER, if it holds one.
#[inline(always)]
fn number_at(slots: &[Value], slot: usize) -> Option<i64> {
    match slots.get(slot) {
        Some(Value::Number(n)) => Some(*n),
        _ => None,
    }
}

/// One closure per pair of operand shapes for operator `$op`, made by `$wrap`: it works out
/// `$n`, the result on `i64`s, from the frame `$s` (of type `$frame`), then gives `$finish`.
/// The left operand is read first, as the general path does; reading has no effect, so the
/// order only matters to which failure is seen first, and then the general path runs anyway.
macro_rules! by_shape {
    ($op:ty, $lhs:expr, $rhs:expr, $wrap:path, |$s:ident: $frame:ty, $n:ident| $finish:expr) => {{
        use Operand::{Code as Nested, Number, Slot};
        match ($lhs, $rhs) {
            (Slot(a), Number(y)) => $wrap(move |$s: $frame| {
                let $n = <$op>::apply(number_at($s, a)?, y)?;
                $finish
            }),
            (Slot(a), Slot(b)) => $wrap(move |$s: $frame| {
                let $n = <$op>::apply(number_at($s, a)?, number_at($s, b)?)?;
                $finish
            }),
            (Number(x), Slot(b)) => $wrap(move |$s: $frame| {
                let $n = <$op>::apply(x, number_at($s, b)?)?;
                $finish
            }),
            (Number(x), Number(y)) => $wrap(move |$s: $frame| {
                let $n = <$op>::apply(x, y)?;
                let _reads_no_slot = &$s;
                $finish
            }),
            (Nested(c), Number(y)) => $wrap(move |$s: $frame| {
                let $n = <$op>::apply(c.run($s)?, y)?;
                $finish
            }),
            (Nested(c), Slot(b)) => $wrap(move |$s: $frame| {
                let $n = <$op>::apply(c.run($s)?, number_at($s, b)?)?;
                $finish
            }),
            (Slot(a), Nested(c)) => $wrap(move |$s: $frame| {
                let $n = <$op>::apply(number_at($s, a)?, c.run($s)?)?;
                $finish
            }),
            (Number(x), Nested(c)) => $wrap(move |$s: $frame| {
                let $n = <$op>::apply(x, c.run($s)?)?;
                $finish
            }),
            (Nested(c), Nested(d)) => $wrap(move |$s: $frame| {
                let $n = <$op>::apply(c.run($s)?, d.run($s)?)?;
                $finish
            }),
        }
    }};
}

/// The closure for operator `O` and one pair of operand shapes, giving the result.
fn shape<O: Apply>(lhs: Operand, rhs: Operand) -> Code {
    by_shape!(O, lhs, rhs, Arc::new, |s: &[Value], n| Some(n))
}

/// The closure for `slot = lhs O rhs;`: the result stored in the slot (see
/// [`NumberCode::compile_store`]).
fn store_shape<O: Apply>(lhs: Operand, rhs: Operand, slot: usize) -> StoreCode {
    by_shape!(O, lhs, rhs, Box::new, |s: &mut [Value], n| store_number(s, slot, n))
}

/// Stores `n` in slot `slot` of the frame: `Some(1)`, the one statement that ran, or `None`
/// when the frame has no such slot.
#[inline(always)]
pub(crate) fn store_number(frame: &mut [Value], slot: usize, n: i64) -> Option<u64> {
    match frame.get_mut(slot)? {
        Value::Number(target) => *target = n,
        target => release(std::mem::replace(target, Value::Number(n))),
    }
    Some(1)
}

/// The closure for `lhs O rhs` and what it decides (see [`NumberCode::compile_test`]).
fn test_shape<O: Apply>(
    lhs: Operand,
    rhs: Operand,
    then: impl Fn(bool, &mut [Value]) -> Option<u64> + Send + Sync + 'static,
) -> StoreCode {
    by_shape!(O, lhs, rhs, Box::new, |s: &mut [Value], n| then(n != 0, s))
}

/// One operator on two NUMBERs: the result, a comparison's as 1 or 0, or `None` on overflow
/// and division by zero.
trait Apply: 'static {
    fn apply(x: i64, y: i64) -> Option<i64>;
}

macro_rules! operators {
    ($($name:ident: |$x:ident, $y:ident| $body:expr;)*) => {$(
        struct $name;
        impl Apply for $name {
            #[inline(always)]
            fn apply($x: i64, $y: i64) -> Option<i64> {
                $body
            }
        }
    )*};
}

operators! {
    Add: |x, y| x.checked_add(y);
    Sub: |x, y| x.checked_sub(y);
    Mul: |x, y| x.checked_mul(y);
    Div: |x, y| if y == 0 { None } else { x.checked_div(y) };
    Rem: |x, y| if y == 0 { None } else { x.checked_rem(y) };
    Lt: |x, y| Some(i64::from(x < y));
    Le: |x, y| Some(i64::from(x <= y));
    Gt: |x, y| Some(i64::from(x > y));
    Ge: |x, y| Some(i64::from(x >= y));
    Eq: |x, y| Some(i64::from(x == y));
    Ne: |x, y| Some(i64::from(x != y));
}

/// `x op y` for `+ - * / %`; `None` for another operator, on overflow and on division by zero
/// (the general operators give the error).
#[inline(always)]
pub(crate) fn arithmetic_i64(op: BinOp, x: i64, y: i64) -> Option<i64> {
    match op {
        BinOp::Add => Add::apply(x, y),
        BinOp::Sub => Sub::apply(x, y),
        BinOp::Mul => Mul::apply(x, y),
        BinOp::Div => Div::apply(x, y),
        BinOp::Rem => Rem::apply(x, y),
        _ => None,
    }
}

/// `x op y` for the comparisons; `None` for another operator.
#[inline(always)]
pub(crate) fn compare_i64(op: BinOp, x: i64, y: i64) -> Option<bool> {
    let result = match op {
        BinOp::Lt => Lt::apply(x, y),
        BinOp::Le => Le::apply(x, y),
        BinOp::Gt => Gt::apply(x, y),
        BinOp::Ge => Ge::apply(x, y),
        BinOp::Eq => Eq::apply(x, y),
        BinOp::Ne => Ne::apply(x, y),
        _ => None,
    };
    result.map(|r| r != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::ir::Expr;
    use crate::syntax::span::Span;

    fn op(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
        Expr::binary(op, lhs, rhs, Span::new(0, 1))
    }

    fn code(e: &Expr) -> &NumberCode {
        match e {
            Expr::NumberOp(op) => &op.code,
            other => panic!("not a NumberOp: {other:?}"),
        }
    }

    #[test]
    fn every_operand_shape_reads_its_slots_and_literals() {
        let slots = [Value::Number(9), Value::Number(4)];
        let (a, b) = (|| Expr::Local(0), || Expr::Local(1));
        let nested = || op(BinOp::Sub, a(), b());
        let cases = [
            (op(BinOp::Sub, a(), Expr::Number(1)), 8),
            (op(BinOp::Sub, a(), b()), 5),
            (op(BinOp::Sub, Expr::Number(1), b()), -3),
            (op(BinOp::Sub, Expr::Number(7), Expr::Number(2)), 5),
            (op(BinOp::Mul, nested(), Expr::Number(3)), 15),
            (op(BinOp::Mul, nested(), b()), 20),
            (op(BinOp::Mul, a(), nested()), 45),
            (op(BinOp::Mul, Expr::Number(2), nested()), 10),
            (op(BinOp::Mul, nested(), nested()), 25),
        ];
        for (e, expected) in &cases {
            assert_eq!(code(e).run(&slots), Some(*expected), "{e:?}");
        }
    }

    #[test]
    fn operators_match_the_run_time_tables() {
        let ops = [
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::Rem,
            BinOp::Lt,
            BinOp::Le,
            BinOp::Gt,
            BinOp::Ge,
            BinOp::Eq,
            BinOp::Ne,
        ];
        let values = [i64::MIN, -7, -1, 0, 1, 2, 7, i64::MAX];
        for op_kind in ops {
            let e = op(op_kind, Expr::Local(0), Expr::Local(1));
            for x in values {
                for y in values {
                    let expected = arithmetic_i64(op_kind, x, y)
                        .or_else(|| compare_i64(op_kind, x, y).map(i64::from));
                    let got = code(&e).run(&[Value::Number(x), Value::Number(y)]);
                    assert_eq!(got, expected, "{x} {op_kind:?} {y}");
                }
            }
        }
    }

    #[test]
    fn a_store_writes_its_slot_and_counts_one_statement_in_every_shape() {
        let nested = || op(BinOp::Sub, Expr::Local(0), Expr::Local(1));
        let cases = [
            (Expr::Local(0), Expr::Number(1), 10),
            (Expr::Local(0), Expr::Local(1), 13),
            (Expr::Number(1), Expr::Local(1), 5),
            (Expr::Number(7), Expr::Number(2), 9),
            (nested(), Expr::Number(3), 8),
            (nested(), Expr::Local(1), 9),
            (Expr::Local(0), nested(), 14),
            (Expr::Number(2), nested(), 7),
            (nested(), nested(), 10),
        ];
        for (lhs, rhs, expected) in cases {
            let store = NumberCode::compile_store(BinOp::Add, &lhs, &rhs, 2).unwrap();
            for previous in [Value::Number(-1), Value::text("was text")] {
                let mut frame = [Value::Number(9), Value::Number(4), previous];
                assert_eq!(store(&mut frame), Some(1), "{lhs:?} + {rhs:?}");
                assert_eq!(frame[2], Value::Number(expected), "{lhs:?} + {rhs:?}");
            }
        }
    }

    #[test]
    fn a_store_that_gives_up_leaves_the_frame_unchanged() {
        let cases = [
            (BinOp::Add, Expr::Local(0), Value::Number(i64::MAX)),
            (BinOp::Div, Expr::Number(0), Value::Number(3)),
            (BinOp::Mul, Expr::Local(0), Value::text("a")),
            (BinOp::Sub, Expr::Local(0), Value::Null),
        ];
        for (op_kind, rhs, first) in cases {
            let store = NumberCode::compile_store(op_kind, &Expr::Local(0), &rhs, 1).unwrap();
            let mut frame = [first.clone(), Value::text("kept")];
            assert_eq!(store(&mut frame), None, "{op_kind:?} on {first:?}");
            assert_eq!(frame, [first, Value::text("kept")]);
        }
        let comparison = NumberCode::compile_store(BinOp::Lt, &Expr::Local(0), &Expr::Local(1), 0);
        assert!(comparison.is_none(), "a comparison gives a BOOLEAN, not a NUMBER");
    }

    #[test]
    fn a_test_hands_the_comparison_s_outcome_to_what_it_decides() {
        let test = |op_kind, rhs: Expr| {
            let decide = |taken: bool, frame: &mut [Value]| {
                frame[1] = Value::Bool(taken);
                Some(if taken { 2 } else { 1 })
            };
            NumberCode::compile_test(op_kind, &Expr::Local(0), &rhs, decide).unwrap()
        };
        let cases = [
            (BinOp::Lt, Expr::Number(5), true),
            (BinOp::Le, Expr::Number(3), true),
            (BinOp::Gt, Expr::Number(3), false),
            (BinOp::Ge, Expr::Local(0), true),
            (BinOp::Eq, Expr::Number(4), false),
            (BinOp::Ne, op(BinOp::Add, Expr::Number(1), Expr::Number(2)), false),
        ];
        for (op_kind, rhs, taken) in cases {
            let mut frame = [Value::Number(3), Value::Null];
            let steps = test(op_kind, rhs)(&mut frame);
            assert_eq!(steps, Some(if taken { 2 } else { 1 }), "{op_kind:?}");
            assert_eq!(frame[1], Value::Bool(taken), "{op_kind:?}");
        }
        let mut frame = [Value::text("3"), Value::Null];
        assert_eq!(test(BinOp::Lt, Expr::Number(5))(&mut frame), None);
        assert_eq!(frame[1], Value::Null, "nothing is decided when an operand is not a NUMBER");
        let sum = NumberCode::compile_test(BinOp::Add, &Expr::Local(0), &Expr::Number(1), |_, _| {
            Some(1)
        });
        assert!(sum.is_none(), "arithmetic is not a test");
    }

    #[test]
    fn an_operand_that_is_not_a_number_or_a_failed_operation_gives_none() {
        let sum = op(BinOp::Add, Expr::Local(0), Expr::Number(1));
        assert_eq!(code(&sum).run(&[Value::text("a")]), None);
        assert_eq!(code(&sum).run(&[Value::Null]), None);
        assert_eq!(code(&sum).run(&[Value::Number(i64::MAX)]), None);
        let quotient = op(BinOp::Div, Expr::Number(1), Expr::Local(0));
        assert_eq!(code(&quotient).run(&[Value::Number(0)]), None);
        let nested = op(BinOp::Mul, sum, Expr::Number(2));
        assert_eq!(code(&nested).run(&[Value::text("a")]), None);
    }
}
