//! Reading an article as it was saved (plain text laid out as the news site prints it,
//! Markdown, or an HTML page) into one shape: a title, a byline, and sections of paragraphs.

use crate::error::{Error, Result};

/// The largest article file read: a news page, scripts and all, is well under 2 MiB.
pub const MAX_ARTICLE_BYTES: usize = 16 * 1024 * 1024;

/// The deepest nesting of HTML elements read. Reading walks the page recursively and overflows
/// the stack somewhere between 50,000 and 100,000 levels; real pages nest a few dozen.
pub const MAX_HTML_DEPTH: usize = 1_000;

/// Refuses an article too large, or (as HTML) nested too deep, to read safely; `path` names
/// the file in the message.
pub fn check(path: &str, text: &str) -> Result<()> {
    if text.len() > MAX_ARTICLE_BYTES {
        return Err(Error::Usage(format!(
            "{path}: {} bytes; brikg drafts from articles of at most {MAX_ARTICLE_BYTES} bytes",
            text.len()
        )));
    }
    if Layout::guess(path, text) == Layout::Html && html_depth(text) > MAX_HTML_DEPTH {
        return Err(Error::Usage(format!(
            "{path}: HTML elements nested more than {MAX_HTML_DEPTH} deep; brikg reads pages nested at most {MAX_HTML_DEPTH} deep"
        )));
    }
    Ok(())
}

/// How deep the page's elements nest, found without recursion.
fn html_depth(text: &str) -> usize {
    let Ok(dom) = tl::parse(text, tl::ParserOptions::default()) else {
        return 0;
    };
    let parser = dom.parser();
    let mut deepest = 0;
    let mut stack: Vec<(tl::NodeHandle, usize)> = dom.children().iter().map(|h| (*h, 1)).collect();
    while let Some((handle, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if let Some(tl::Node::Tag(tag)) = handle.get(parser) {
            stack.extend(tag.children().top().iter().map(|h| (*h, depth + 1)));
        }
    }
    deepest
}

/// An article's text, structured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    /// The byline as printed ("By Qiu Ping Source: Updated: 2024-02-18").
    pub byline: String,
    /// The sections in reading order; the first has no heading when the article opens with an
    /// untitled lead.
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub heading: Option<String>,
    pub paragraphs: Vec<String>,
}

/// How the article was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Text,
    Markdown,
    Html,
}

impl Layout {
    /// From a file name's extension, else from the text itself.
    pub fn guess(name: &str, text: &str) -> Layout {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            Layout::Html
        } else if lower.ends_with(".md") || lower.ends_with(".markdown") {
            Layout::Markdown
        } else if text.trim_start().starts_with('<') {
            Layout::Html
        } else {
            Layout::Text
        }
    }
}

/// Reads `text` laid out as `layout`.
pub fn read(text: &str, layout: Layout) -> Document {
    let blocks = match layout {
        Layout::Text => text_blocks(text),
        Layout::Markdown => markdown_blocks(text),
        Layout::Html => html_blocks(text),
    };
    assemble(blocks)
}

/// A block of the article before sections are known.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Block {
    /// A heading: `level` 1 is the title.
    Heading(u8, String),
    Paragraph(String),
}

fn is_byline(line: &str) -> bool {
    let l = line.trim().trim_start_matches(['*', '_']).trim_start();
    (l.starts_with("By ") || l.starts_with("by ")) && l.len() < 200 || l.contains("Updated:")
}

/// Puts blocks into a document: the title is the first level-1 heading (or, in plain text, the
/// line before the byline); a heading opens a section; paragraphs before the first heading
/// form the untitled lead.
fn assemble(blocks: Vec<Block>) -> Document {
    let mut doc = Document::default();
    let mut current = Section::default();
    for block in blocks {
        match block {
            Block::Heading(1, text) if doc.title.is_empty() => doc.title = text,
            Block::Heading(_, text) => {
                if !current.paragraphs.is_empty() || current.heading.is_some() {
                    doc.sections.push(std::mem::take(&mut current));
                }
                current.heading = Some(text);
            }
            Block::Paragraph(text) if doc.byline.is_empty() && is_byline(&text) => {
                doc.byline = text;
            }
            Block::Paragraph(text) => current.paragraphs.push(text),
        }
    }
    if !current.paragraphs.is_empty() || current.heading.is_some() {
        doc.sections.push(current);
    }
    doc.sections.retain(|s| !s.paragraphs.is_empty());
    doc
}

/// Plain text: blocks separated by blank lines. The title is the line before the byline; a
/// one-line block without a sentence's final punctuation is a heading; lines before the title
/// (the site's navigation) are dropped.
fn text_blocks(text: &str) -> Vec<Block> {
    let raw: Vec<String> = text
        .split("\n\n")
        .map(|b| b.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .map(|b| b.trim().to_owned())
        .filter(|b| !b.is_empty())
        .collect();
    let byline = raw.iter().position(|b| is_byline(b));
    let mut out = Vec::new();
    let start = match byline {
        Some(i) if i > 0 => {
            out.push(Block::Heading(1, raw[i - 1].clone()));
            i
        }
        _ => 0,
    };
    for block in &raw[start..] {
        let ends_sentence = block.ends_with(['.', '!', '?', '"', '”', ':', ';']);
        if !is_byline(block) && !ends_sentence && block.len() < 120 && !block.contains(". ") {
            out.push(Block::Heading(2, block.clone()));
        } else {
            out.push(Block::Paragraph(block.clone()));
        }
    }
    out
}

/// Markdown: `#` headings, paragraphs between blank lines; a list or a block quote is one
/// paragraph; emphasis and link syntax are dropped.
fn markdown_blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let block = block.trim();
        if block.is_empty() {
            continue;
        }
        if let Some(rest) = block.strip_prefix('#') {
            let level = 1 + rest.chars().take_while(|c| *c == '#').count() as u8;
            let heading = rest.trim_start_matches('#').trim();
            out.push(Block::Heading(level, plain_markdown(heading)));
            continue;
        }
        let lines: Vec<String> = block
            .lines()
            .map(|l| {
                let l = l.trim();
                let l = l.trim_start_matches('>').trim_start();
                let l = l
                    .strip_prefix("- ")
                    .or_else(|| l.strip_prefix("* "))
                    .or_else(|| l.strip_prefix("+ "))
                    .unwrap_or(l);
                let l = match l.split_once(". ") {
                    Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => {
                        rest
                    }
                    _ => l,
                };
                plain_markdown(l)
            })
            .collect();
        let joined = lines.join(if lines.len() > 1 && block.starts_with(['-', '*', '+']) {
            "; "
        } else {
            " "
        });
        out.push(Block::Paragraph(joined));
    }
    out
}

/// Markdown inline syntax removed: `**bold**`, `_em_`, `[text](url)`, `` `code` ``.
fn plain_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' => {}
            '_' if out.ends_with(' ')
                || out.is_empty()
                || chars
                    .peek()
                    .is_some_and(|n| *n == ' ' || *n == '.' || *n == ',') => {}
            '[' => {
                let mut text = String::new();
                for n in chars.by_ref() {
                    if n == ']' {
                        break;
                    }
                    text.push(n);
                }
                if chars.peek() == Some(&'(') {
                    for n in chars.by_ref() {
                        if n == ')' {
                            break;
                        }
                    }
                }
                out.push_str(&text);
            }
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

/// HTML: the page's headings and paragraphs in document order, leaving out what is not the
/// article (navigation, header, footer, asides, figures and their captions, scripts).
fn html_blocks(text: &str) -> Vec<Block> {
    let Ok(dom) = tl::parse(text, tl::ParserOptions::default()) else {
        return Vec::new();
    };
    let parser = dom.parser();
    let mut out = Vec::new();
    for handle in dom.children() {
        walk(*handle, parser, &mut out, 1);
    }
    out
}

const SKIPPED: &[&str] = &[
    "nav",
    "header",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "script",
    "style",
    "noscript",
    "form",
    "button",
    "head",
    "svg",
];

/// `depth` stops the walk (which recurses) past [`MAX_HTML_DEPTH`], for a caller that did not
/// [`check`] the page first.
fn walk(handle: tl::NodeHandle, parser: &tl::Parser<'_>, out: &mut Vec<Block>, depth: usize) {
    if depth > MAX_HTML_DEPTH {
        return;
    }
    let Some(tl::Node::Tag(tag)) = handle.get(parser) else {
        return;
    };
    let name = tag.name().as_utf8_str().to_ascii_lowercase();
    if SKIPPED.contains(&name.as_str()) {
        return;
    }
    let class = tag
        .attributes()
        .class()
        .map(|c| c.as_utf8_str().to_ascii_lowercase())
        .unwrap_or_default();
    if [
        "share",
        "related",
        "comments",
        "newsletter",
        "caption",
        "advert",
    ]
    .iter()
    .any(|c| class.contains(c))
    {
        return;
    }
    let text = || decode_entities(&tag.inner_text(parser));
    // The byline, whatever element holds it (a <div> with links in it, say), is one block.
    if class.split_whitespace().any(|c| c == "byline") && !text().trim().is_empty() {
        out.push(Block::Paragraph(text()));
        return;
    }
    match name.as_str() {
        "h1" => out.push(Block::Heading(1, text())),
        "h2" | "h3" | "h4" => out.push(Block::Heading(2, text())),
        "p" | "li" | "blockquote" | "time" if !text().trim().is_empty() => {
            out.push(Block::Paragraph(text()))
        }
        _ => {
            for child in tag.children().top().iter() {
                walk(*child, parser, out, depth + 1);
            }
        }
    }
}

/// The text of HTML with its character references decoded and white space collapsed.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &after[1..e];
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "euro" => '€',
                "pound" => '£',
                "yen" => '¥',
                "middot" => '·',
                "ldquo" => '“',
                "rdquo" => '”',
                "lsquo" => '‘',
                "rsquo" => '’',
                "ndash" => '–',
                "mdash" => '—',
                "copy" => '©',
                "deg" => '°',
                e if e.starts_with("#x") => char::from_u32(u32::from_str_radix(&e[2..], 16).ok()?)?,
                e if e.starts_with('#') => char::from_u32(e[1..].parse().ok()?)?,
                _ => return None,
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_as_the_news_site_prints_it() {
        let doc = read(
            "Nav Search\n\nA Title Here\n\nBy Jane Doe Source: Updated: 2024-02-18\n\nFirst paragraph of the lead.\n\nA heading\n\nIts paragraph, one.\n",
            Layout::Text,
        );
        assert_eq!(doc.title, "A Title Here");
        assert_eq!(doc.byline, "By Jane Doe Source: Updated: 2024-02-18");
        assert_eq!(doc.sections.len(), 2);
        assert_eq!(doc.sections[0].heading, None);
        assert_eq!(doc.sections[1].heading.as_deref(), Some("A heading"));
    }

    #[test]
    fn markdown_and_html_become_the_same_shape() {
        let md = read(
            "# T\n\n**By A B** | Updated: 2024-11-05\n\nLead with [a link](http://x) and **bold**.\n\n## H\n\n- one\n- two\n",
            Layout::Markdown,
        );
        assert_eq!(md.title, "T");
        assert_eq!(md.sections[0].paragraphs, ["Lead with a link and bold."]);
        assert_eq!(md.sections[1].paragraphs, ["one; two"]);
        let html = read(
            "<html><body><nav><p>Home</p></nav><article><h1>T</h1><p class=\"byline\">By <span>A B</span> &middot; Updated: 2025-06-03</p><p>Lead &euro;300&nbsp;million.</p><h2>H</h2><p>Two.</p><figure><figcaption>Photo</figcaption></figure></article><footer><p>c</p></footer></body></html>",
            Layout::Html,
        );
        assert_eq!(html.title, "T");
        assert_eq!(html.byline, "By A B · Updated: 2025-06-03");
        assert_eq!(html.sections[0].paragraphs, ["Lead €300 million."]);
        assert_eq!(html.sections[1].paragraphs, ["Two."]);
    }
}
