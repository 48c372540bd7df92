//! `docs/builtins.md` must match the registry. Regenerate it with
//! `DLG_BLESS=1 cargo test --test builtins_doc`.

use std::path::Path;

#[test]
fn builtins_md_matches_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/builtins.md");
    let expected = deluge_lang::stdlib::docs::render_markdown();
    if std::env::var_os("DLG_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("write docs/builtins.md");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/builtins.md is out of date with the built-in registry; regenerate it with \
         `DLG_BLESS=1 cargo test --test builtins_doc` and commit the result"
    );
}
