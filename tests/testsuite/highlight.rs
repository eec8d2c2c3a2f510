//! Build-time highlighting (issue 6): fenced code and snippets come out coloured with `hl-…` spans, an unknown
//! language is plain text without a diagnostic, and the code's text is unchanged for readers and for search.

use crate::support::{SiteTest, page, text_of};

const BODY: &str = "\
# Code

```powershell
Get-Mailbox -Identity \"a<b\" # who
```

```azurecli-interactive
az group create --name demo
```

```kusto
StormEvents | take 10
```

```
no language at all
```

:::code language=\"csharp\" source=\"Program.cs\" range=\"1-4\" highlight=\"2\":::
";

const PROGRAM: &str =
    "/* a comment\n   over two lines */\nclass Program { }\nint x = 1;\nint y = 2;\n";

fn site() -> SiteTest {
    SiteTest::new()
        .file("content/en-us/index.md", page("Code", BODY))
        .file("content/en-us/Program.cs", PROGRAM)
}

#[test]
fn fenced_code_is_highlighted_at_build_time_and_keeps_its_text() {
    let site = site();
    let run = site.check(&["--deny-warnings"]);
    assert_eq!(run.diags(), Vec::new(), "{}", run.stderr);
    site.build_ok();
    let p = site.html("en-us/index.html");
    assert_eq!(
        p.text("pre > code.language-powershell .hl-function"),
        "Get-Mailbox"
    );
    assert_eq!(
        p.text("pre > code.language-powershell .hl-comment"),
        "# who"
    );
    assert_eq!(
        p.text("pre > code.language-powershell"),
        "Get-Mailbox -Identity \"a<b\" # who"
    );
    // Microsoft Docs' language names reach a grammar.
    assert!(
        !p.select("pre > code.language-azurecli-interactive span[class^=hl-]")
            .is_empty()
    );
    // The pre stays reachable by keyboard.
    assert_eq!(
        p.attr("pre:has(> code.language-powershell)", "tabindex"),
        "0"
    );
}

#[test]
fn unknown_languages_are_plain_text_without_a_warning() {
    let site = site();
    let run = site.check(&["--deny-warnings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.all_diags().is_empty(), "{}", run.stderr);
    site.build_ok();
    let p = site.html("en-us/index.html");
    let kusto = p.one("pre > code.language-kusto");
    assert_eq!(text_of(kusto), "StormEvents | take 10");
    assert!(p.select("pre > code.language-kusto span").is_empty());
    let bare = p.select("article pre > code:not([class])");
    assert_eq!(bare.len(), 1);
    assert_eq!(text_of(bare[0]), "no language at all");
}

#[test]
fn snippets_are_highlighted_and_their_marked_lines_stay_whole() {
    let site = site();
    site.build_ok();
    let p = site.html("en-us/index.html");
    let code = p.one("code[data-quire=snippet]");
    assert_eq!(
        text_of(code),
        "/* a comment\n   over two lines */\nclass Program { }\nint x = 1;"
    );
    // The comment spans lines 1 and 2: line 2 is marked, and its part of the comment is coloured inside the mark.
    assert_eq!(
        p.text("code[data-quire=snippet] mark.line-highlight"),
        "over two lines */"
    );
    assert_eq!(
        p.text("code[data-quire=snippet] mark.line-highlight > .hl-comment"),
        "over two lines */"
    );
    assert!(!p.select("code[data-quire=snippet] .hl-keyword").is_empty());
}

#[test]
fn the_copy_button_labels_are_in_the_pages_language() {
    let site = site().file(
        "content/zh-tw/index.md",
        page("程式碼", "# 程式碼\n\n```bash\necho hi\n```\n"),
    );
    site.build_ok();
    let en = site.html("en-us/index.html");
    assert_eq!(en.attr("article", "data-copy"), "Copy");
    let zh = site.html("zh-tw/index.html");
    assert_eq!(zh.attr("article", "data-copy"), "複製");
    assert_eq!(zh.attr("article", "data-copied"), "已複製");
}

#[test]
fn highlight_false_in_quire_yml_leaves_code_plain() {
    let site = site().file("quire.yml", "highlight: false\n");
    site.build_ok();
    let p = site.html("en-us/index.html");
    assert!(p.select("article pre span[class^=hl-]").is_empty());
    assert_eq!(
        p.text("pre > code.language-powershell"),
        "Get-Mailbox -Identity \"a<b\" # who"
    );
    // Snippets too, with their marked lines.
    assert_eq!(
        p.text("code[data-quire=snippet] mark.line-highlight"),
        "over two lines */"
    );
}
