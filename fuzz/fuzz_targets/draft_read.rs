//! Fuzzes the draft readers: the input is an article saved as HTML, Markdown or plain text (the
//! first byte picks which, the rest is the text), read as `brikg draft` reads it: the size and
//! depth check first, then the reader.
//!
//! Asserts, for every input:
//! - nothing panics and nothing overflows the stack (a page nested 100,000 elements deep once
//!   aborted `brikg draft`);
//! - a refused input gives one line that starts with the file name, as `brikg draft` prints it;
//! - an accepted input is read whole (the reader cannot refuse).
#![no_main]

use brikg::draft::read::{check, read, Layout};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    // `brikg draft` reads files as UTF-8 and refuses the rest before reading.
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = match kind % 3 {
        0 => "fuzz.html",
        1 => "fuzz.md",
        _ => "fuzz.txt",
    };
    match check(name, text) {
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with(name), "{message}");
            assert!(!message.contains(['\n', '\r']), "{message:?}");
        }
        Ok(()) => {
            read(text, Layout::guess(name, text));
        }
    }
});
