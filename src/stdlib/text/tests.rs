use super::*;
use crate::stdlib::testing::{self, call, call_named, shown};

fn t(s: &str) -> Value {
    Value::text(s)
}

fn n(v: i64) -> Value {
    Value::Number(v)
}

fn yes(f: crate::eval::builtin::NativeFn, s: &str, arg: &str) -> bool {
    matches!(call(f, &[t(s), t(arg)]).unwrap(), Value::Bool(true))
}

#[test]
fn length_counts_characters() {
    assert_eq!(
        shown(
            length,
            &[t("Create database applications with Zoho Creator")]
        ),
        "46"
    );
    assert_eq!(shown(length, &[t("héllo")]), "5");
}

#[test]
fn contains_family() {
    assert!(yes(contains, "Zoho Creator", "Creator"));
    assert!(yes(contains, "Zoho Creator", " "));
    assert!(!yes(contains, "Zoho Creator", "creator "));
    assert!(yes(not_contains, "Zoho Creator", "CRM"));
    assert!(yes(contains_ignore_case, "Zoho Creator", "CREATOR"));
    assert!(!yes(contains_ignore_case, "Zoho Creator", "crm"));
    assert!(yes(contains, "a1", "1"));
    assert!(matches!(
        call(contains, &[t("a1"), n(1)]).unwrap(),
        Value::Bool(true)
    ));
}

#[test]
fn starts_and_ends() {
    assert!(yes(starts_with, "Zoho Creator", "Zoho"));
    assert!(!yes(starts_with, "Zoho Creator", "zoho"));
    assert!(yes(starts_with_ignore_case, "Zoho Creator", "zoho"));
    assert!(yes(ends_with, "Zoho Creator", "Creator"));
    assert!(!yes(ends_with, "Zoho Creator", "creator"));
    assert!(yes(ends_with_ignore_case, "Zoho Creator", "creator"));
    assert!(!yes(ends_with_ignore_case, "Zoho", "zoho creator"));
}

#[test]
fn equals_ignore_case_compares_whole_text() {
    assert!(yes(equals_ignore_case, "Zoho", "zOHO"));
    assert!(!yes(equals_ignore_case, "Zoho", "Zoh"));
    assert!(yes(equals_ignore_case, "ÉTÉ", "été"));
}

#[test]
fn letter_filters() {
    assert_eq!(
        shown(get_alpha, &[t("Your joining date is January 25th, 2019")]),
        "YourjoiningdateisJanuaryth"
    );
    assert_eq!(
        shown(get_alpha_numeric, &[t("Your joining date is 25-01-2019")]),
        "Yourjoiningdateis25012019"
    );
    assert_eq!(shown(remove_all_alpha, &[t("Zoho Creator 5")]), "  5");
    assert_eq!(
        shown(remove_all_alpha_numeric, &[t("Zoho Creator 5 is here!")]),
        "    !"
    );
}

#[test]
fn occurence_count() {
    let s =
        "Zoho Creator, an online database service, helps you create custom database applications";
    assert_eq!(shown(get_occurence_count, &[t(s), t("database")]), "2");
    assert_eq!(shown(get_occurence_count, &[t("aaaa"), t("aa")]), "2");
    assert_eq!(shown(get_occurence_count, &[t("aaaa"), t("")]), "0");
}

#[test]
fn prefix_and_suffix() {
    let s =
        "Zoho Creator is an online database service, which helps you create custom applications";
    assert_eq!(
        shown(get_prefix, &[t(s), t(",")]),
        "Zoho Creator is an online database service"
    );
    assert_eq!(
        shown(
            get_suffix,
            &[t("Create custom apps with Zoho Creator"), t("with")]
        ),
        " Zoho Creator"
    );
    assert!(call(get_prefix, &[t("abc"), t("x")]).unwrap().is_null());
    assert!(call(get_suffix, &[t("abc"), t("x")]).unwrap().is_null());
    assert_eq!(
        shown(get_prefix_ignore_case, &[t("Hello World"), t("WORLD")]),
        "Hello "
    );
    assert_eq!(
        shown(get_suffix_ignore_case, &[t("Hello World"), t("hello")]),
        " World"
    );
    assert!(call(get_suffix_ignore_case, &[t("abc"), t("x")])
        .unwrap()
        .is_null());
}

#[test]
fn index_of_and_last_index_of() {
    let s = "Hello world, welcome to the universe";
    assert_eq!(shown(first_position, &[t(s), t("e")]), "1");
    assert_eq!(shown(last_index_of, &[t(s), t("e")]), "35");
    assert_eq!(shown(first_position, &[t(s), t("z")]), "-1");
    assert_eq!(shown(last_index_of, &[t(s), t("z")]), "-1");
    assert_eq!(shown(first_position, &[t("héllo"), t("l")]), "2");
}

#[test]
fn concat_appends_printed_form() {
    assert_eq!(shown(concat, &[t("Zoho "), t("Creator")]), "Zoho Creator");
    assert_eq!(shown(concat, &[t("v"), n(5)]), "v5");
}

#[test]
fn to_list_splits_literally() {
    assert_eq!(
        shown(to_list, &[t("ZohoCreator/ZohoCRM"), t("/")]),
        "ZohoCreator,ZohoCRM"
    );
    assert_eq!(shown(to_list, &[t("a.b"), t(".")]), "a,b");
    assert_eq!(shown(to_list, &[t("a,,b"), t(",")]), "a,,b");
    let one = call(to_list, &[t("a,b")]).unwrap();
    let Value::List(l) = one else { panic!("list") };
    assert_eq!(l.borrow().len(), 1);
    let Value::List(chars) = call(to_list, &[t("   "), t("")]).unwrap() else {
        panic!("list")
    };
    assert_eq!(chars.borrow().len(), 3);
    let Value::List(empty) = call(to_list, &[t(""), t(",")]).unwrap() else {
        panic!("list")
    };
    assert!(empty.borrow().is_empty());
    assert_eq!(shown(to_list_string, &[t("1,2,3,4,5")]), "1,2,3,4,5");
}

#[test]
fn to_list_respects_collection_limit() {
    let mut env = testing::env();
    env.limits.max_collection_len = 2;
    let mut ctx = NativeCtx::new(&env);
    assert_eq!(
        crate::stdlib::testing::call_in(&mut ctx, to_list, &[t("abc"), t("")]).unwrap_err().to_string(),
        "toList: the result would have 3 entries, over the limit of 2 entries"
    );
}

#[test]
fn case_conversion() {
    assert_eq!(shown(to_lower_case, &[t("Zoho CREATOR")]), "zoho creator");
    assert_eq!(shown(to_upper_case, &[t("Zoho creator")]), "ZOHO CREATOR");
    assert_eq!(
        shown(proper, &[t("zOHO  creator app")]),
        "Zoho  Creator App"
    );
}

#[test]
fn left_and_right() {
    assert_eq!(shown(left, &[t("Zoho Creator"), n(4)]), "Zoho");
    assert_eq!(shown(right, &[t("Zoho Creator"), n(7)]), "Creator");
    assert_eq!(shown(left, &[t("abc"), n(10)]), "abc");
    assert_eq!(shown(right, &[t("abc"), n(10)]), "abc");
    assert_eq!(shown(right, &[t("héllo"), n(3)]), "llo");
    assert_eq!(
        call(left, &[t("abc"), n(-1)]).unwrap_err(),
        "left: the count must not be negative, got -1"
    );
    assert_eq!(
        call(left, &[t("abc"), t("1")]).unwrap_err(),
        "left expects (NUMBER) but got (TEXT)"
    );
}

#[test]
fn padding_to_total_length() {
    assert_eq!(shown(leftpad, &[t("Left"), n(6)]), "  Left");
    assert_eq!(shown(rightpad, &[t("Right"), n(7)]), "Right  ");
    assert_eq!(shown(leftpad, &[t("Left"), n(2)]), "Left");
    assert_eq!(shown(leftpad, &[t("Left"), n(-3)]), "Left");
    assert_eq!(shown(leftpad, &[t(""), n(50)]).len(), 50);
    assert_eq!(
        call(leftpad, &[t(""), n(100_001)]).unwrap_err(),
        "leftpad: the length can be at most 100000, got 100001"
    );
    let mut env = testing::env();
    env.limits.max_text_bytes = 10;
    let mut ctx = NativeCtx::new(&env);
    assert!(crate::stdlib::testing::call_in(&mut ctx, rightpad, &[t("a"), n(11)])
        .unwrap_err()
        .contains("over the limit of 10 bytes"));
}

#[test]
fn trims() {
    assert_eq!(
        shown(trim, &[t(" Welcome to Zoho Creator ")]),
        "Welcome to Zoho Creator"
    );
    assert_eq!(shown(ltrim, &[t("  a ")]), "a ");
    assert_eq!(shown(rtrim, &[t("  a \t\n")]), "  a");
    assert_eq!(shown(trim, &[t("\u{a0}a\u{a0}")]), "a");
}

#[test]
fn is_ascii_checks_every_character() {
    assert!(matches!(
        call(is_ascii, &[t("abc")]).unwrap(),
        Value::Bool(true)
    ));
    assert!(matches!(
        call(is_ascii, &[t("é")]).unwrap(),
        Value::Bool(false)
    ));
}

#[test]
fn matches_whole_text() {
    assert!(yes(matches, "12345", "[0-9]+"));
    assert!(!yes(matches, "12a45", "[0-9]+"));
    assert!(!yes(matches, "a12", "[0-9]+"));
    assert!(call(matches, &[t("a"), t("[")])
        .unwrap_err()
        .starts_with("matches: \"[\" is not a valid regular expression"));
}

#[test]
fn aliases_name_themselves_in_errors() {
    assert_eq!(shown(first_position, &[t("abc"), t("c")]), "2");
    assert_eq!(shown(slice_chars, &[t("abcd"), n(1), n(3)]), "bc");
    assert_eq!(shown(slice_chars, &[t("abcd"), n(2)]), "cd");
    assert_eq!(
        call_named("find", &[t("a"), Value::Null]).unwrap_err(),
        "find expects (TEXT) but got (NULL)"
    );
    assert_eq!(
        call_named("indexOf", &[t("a"), Value::Null]).unwrap_err(),
        "indexOf expects (TEXT) but got (NULL)"
    );
    assert_eq!(
        call_named("mid", &[t("a"), t("x")]).unwrap_err(),
        "mid expects (NUMBER[, NUMBER]) but got (TEXT)"
    );
    assert_eq!(
        call_named("subText", &[t("a"), t("x")]).unwrap_err(),
        "subText expects (NUMBER[, NUMBER]) but got (TEXT)"
    );
}

#[test]
fn sub_string_ranges() {
    let s = t("Zoho Creator");
    assert_eq!(shown(slice_chars, &[s.clone(), n(5)]), "Creator");
    assert_eq!(shown(slice_chars, &[s.clone(), n(0), n(4)]), "Zoho");
    assert_eq!(shown(slice_chars, &[s.clone(), n(2), n(2)]), "");
    assert_eq!(shown(slice_chars, &[s.clone(), n(5), n(-1)]), "Creator");
    assert_eq!(shown(slice_chars, &[t("héllo"), n(1), n(3)]), "él");
    assert_eq!(
        call(slice_chars, &[s.clone(), n(13)]).unwrap_err(),
        "subString: start index 13 is out of range for a text of 12 characters"
    );
    assert_eq!(
        call(slice_chars, &[s.clone(), n(0), n(20)]).unwrap_err(),
        "subString: end index 20 is out of range for a text of 12 characters"
    );
    assert_eq!(
        call(slice_chars, &[s.clone(), n(5), n(2)]).unwrap_err(),
        "subString: the end index 2 is before the start index 5"
    );
    assert_eq!(
        call(slice_chars, &[s, t("1")]).unwrap_err(),
        "subString expects (NUMBER[, NUMBER]) but got (TEXT)"
    );
}

#[test]
fn hex_round_trip() {
    assert_eq!(shown(hex_to_text, &[t("41")]), "A");
    assert_eq!(shown(text_to_hex, &[t("Aé")]), "41c3a9");
    assert_eq!(shown(hex_to_text, &[t("41c3a9")]), "Aé");
    assert_eq!(
        call(hex_to_text, &[t("4")]).unwrap_err(),
        "hexToText: \"4\" is not valid hexadecimal: odd number of digits"
    );
    assert_eq!(
        call(hex_to_text, &[t("zz")]).unwrap_err(),
        "hexToText: \"zz\" is not valid hexadecimal"
    );
    assert_eq!(
        call(hex_to_text, &[t("ff")]).unwrap_err(),
        "hexToText: \"ff\" does not decode to UTF-8 text"
    );
}

#[test]
fn repeat_checks_limit() {
    assert_eq!(shown(repeat, &[t("ab"), n(3)]), "ababab");
    assert_eq!(shown(repeat, &[t("ab"), n(0)]), "");
    assert!(call(repeat, &[t("ab"), n(i64::MAX)])
        .unwrap_err()
        .starts_with("repeat: the result would be"));
}

#[test]
fn removals() {
    assert_eq!(shown(remove, &[t("a-b-c"), t("-")]), "abc");
    assert_eq!(
        shown(remove_first_occurence, &[t("Zoho Creator 5"), t("5")]),
        "Zoho Creator "
    );
    assert_eq!(
        shown(
            remove_last_occurence,
            &[t("Create an app using Zoho Creator app builder"), t("app")]
        ),
        "Create an app using Zoho Creator  builder"
    );
    assert_eq!(shown(remove_first_occurence, &[t("abc"), t("x")]), "abc");
}

#[test]
fn replace_family() {
    let s = t("Create online database applications");
    assert_eq!(
        shown(replace_all, &[s, t("online"), t("custom")]),
        "Create custom database applications"
    );
    assert_eq!(shown(replace_all, &[t("a.b.c"), t("."), t("-")]), "-----");
    assert_eq!(
        shown(
            replace_all,
            &[t("a.b.c"), t("."), t("-"), Value::Bool(true)]
        ),
        "a-b-c"
    );
    assert_eq!(
        shown(replace_all, &[t("a1b22"), t("[0-9]+"), t("#")]),
        "a#b#"
    );
    assert_eq!(
        shown(
            replace_all,
            &[t("John Smith"), t("(\\w+) (\\w+)"), t("$2, $1")]
        ),
        "Smith, John"
    );
    assert_eq!(
        shown(replace_all, &[t("a$b"), t("$"), t("$1"), Value::Bool(true)]),
        "a$1b"
    );
    assert_eq!(shown(replace_first, &[t("aaa"), t("a"), t("b")]), "baa");
    assert_eq!(
        shown(
            replace_all_ignore_case,
            &[t("Zoho zoho"), t("ZOHO"), t("X")]
        ),
        "X X"
    );
    assert_eq!(
        shown(
            replace_first_ignore_case,
            &[t("Zoho zoho"), t("ZOHO"), t("X")]
        ),
        "X zoho"
    );
    assert_eq!(
        shown(
            replace_all_ignore_case,
            &[t("a.A.b"), t("a."), t("-"), Value::Bool(true)]
        ),
        "--b"
    );
    assert_eq!(
        call(replace_all, &[t("a"), t("a")]).unwrap_err(),
        "replaceAll expects (TEXT, TEXT[, BOOLEAN]) but got (TEXT)"
    );
}

#[test]
fn replace_growth_is_bounded() {
    let mut env = testing::env();
    env.limits.max_text_bytes = 16;
    let mut ctx = NativeCtx::new(&env);
    assert_eq!(
        crate::stdlib::testing::call_in(&mut ctx, replace_all, &[t("abcdef"), t(""), t("xxxx")]).unwrap_err().to_string(),
        "replaceAll: the result would be over the limit of 16 bytes of text"
    );
}

#[test]
fn reverse_reverses_characters() {
    assert_eq!(shown(reverse, &[t("héllo")]), "olléh");
}

#[test]
fn type_error_names_function_and_types() {
    assert_eq!(
        call(contains, &[t("a"), Value::Null]).unwrap_err(),
        "contains expects (TEXT) but got (NULL)"
    );
    assert_eq!(
        call(first_position, &[t("a"), Value::new_list()]).unwrap_err(),
        "indexOf expects (TEXT) but got (LIST)"
    );
}
