use proptest::prelude::*;

use super::*;
use crate::stdlib::testing;

type Native = crate::eval::builtin::NativeFn;

const SEARCHES: &[Native] = &[
    contains,
    contains_ignore_case,
    starts_with_ignore_case,
    ends_with_ignore_case,
    equals_ignore_case,
    get_prefix_ignore_case,
    get_suffix_ignore_case,
    get_prefix,
    get_suffix,
    first_position,
    last_index_of,
    get_occurence_count,
    remove,
    remove_first_occurence,
    remove_last_occurence,
    to_list,
];

const COUNTS: &[Native] = &[left, right, leftpad, rightpad, repeat];

fn run(f: Native, args: &[Value]) -> Result<Value, String> {
    let mut env = testing::env();
    env.limits.max_text_bytes = 1 << 20;
    let mut ctx = NativeCtx::new(&env);
    crate::stdlib::testing::call_in(&mut ctx, f, args)
}

proptest! {
    #[test]
    fn searches_never_panic(s in "\\PC{0,12}", t in "\\PC{0,3}") {
        for f in SEARCHES {
            let _ = run(*f, &[Value::text(s.clone()), Value::text(t.clone())]);
        }
    }

    #[test]
    fn ranges_never_panic(s in "\\PC{0,12}", a in -3i64..20, b in -3i64..20) {
        let _ = run(slice_chars, &[Value::text(s.clone()), Value::Number(a), Value::Number(b)]);
        for f in COUNTS {
            let _ = run(*f, &[Value::text(s.clone()), Value::Number(a)]);
        }
    }

    #[test]
    fn ignore_case_agrees_with_exact_search_on_ascii(s in "[a-cA-C]{0,10}", t in "[a-c]{1,3}") {
        let lower = s.to_ascii_lowercase();
        let found = find_ignore_case(&s, &t).map(|(start, _)| start);
        prop_assert_eq!(found, lower.find(&t));
    }

    #[test]
    fn replace_literal_never_panics(s in "\\PC{0,12}", t in "\\PC{0,3}", r in "\\PC{0,3}") {
        let args = [Value::text(s), Value::text(t), Value::text(r), Value::Bool(true)];
        prop_assert!(run(replace_all, &args).is_ok());
        prop_assert!(run(replace_first_ignore_case, &args).is_ok());
    }
}
