//! A line-breaking pretty printer after Oppen ("Prettyprinting", 1980), with
//! the parameters and block indentation of rustc's `rustc_ast_pretty` (a
//! 78-column margin, at least 60 columns after an indent), so that long token
//! streams break where rustc 1.63 breaks them.
//!
//! Text is fed as words, breaks (a space that may become a newline) and
//! boxes. In a consistent box either every break becomes a newline or none
//! does; in an inconsistent box (and outside any box) a break becomes a
//! newline only when what follows it, up to the next break, does not fit.

use std::borrow::Cow;
use std::collections::VecDeque;

const MARGIN: isize = 78;
const MIN_SPACE: isize = 60;
/// The size of what can never fit.
const INFINITY: isize = 0xffff;

enum Token<'a> {
    Word(Cow<'a, str>),
    Break { blank: isize, offset: isize },
    Begin { offset: isize, consistent: bool },
    End,
}

/// A token waiting to be printed, with its size once known (negative: not
/// known yet, minus the running total where it started).
struct Entry<'a> {
    token: Token<'a>,
    size: isize,
}

/// How the innermost open box is being printed.
enum Frame {
    Fits,
    Broken { indent: usize, consistent: bool },
}

pub(crate) struct Printer<'a> {
    out: String,
    /// Columns left on the current line.
    space: isize,
    /// Tokens scanned but not printed; `first` is the absolute index of the front.
    buf: VecDeque<Entry<'a>>,
    first: usize,
    /// Sizes of everything printed (left) and everything scanned (right).
    left_total: isize,
    right_total: isize,
    /// Absolute indices of buffered breaks and boxes whose size is not known yet.
    scan_stack: VecDeque<usize>,
    print_stack: Vec<Frame>,
    indent: usize,
    /// Spaces owed before the next word.
    pending: isize,
}

impl<'a> Printer<'a> {
    pub(crate) fn new() -> Self {
        Printer {
            out: String::new(),
            space: MARGIN,
            buf: VecDeque::new(),
            first: 0,
            left_total: 0,
            right_total: 0,
            scan_stack: VecDeque::new(),
            print_stack: Vec::new(),
            indent: 0,
            pending: 0,
        }
    }

    /// Opens an inconsistent box.
    pub(crate) fn ibox(&mut self, offset: isize) {
        self.begin(offset, false);
    }

    /// Opens a consistent box.
    pub(crate) fn cbox(&mut self, offset: isize) {
        self.begin(offset, true);
    }

    /// A breakable single space.
    pub(crate) fn space(&mut self) {
        self.break_offset(1, 0);
    }

    pub(crate) fn word(&mut self, word: impl Into<Cow<'a, str>>) {
        let word = word.into();
        if self.scan_stack.is_empty() {
            self.print_word(&word);
        } else {
            let len = word.len() as isize;
            self.push(Token::Word(word), len);
            self.right_total += len;
            self.check_stream();
        }
    }

    /// `blank` spaces, or a newline indented by `offset` more than the box.
    pub(crate) fn break_offset(&mut self, blank: isize, offset: isize) {
        if self.scan_stack.is_empty() {
            self.restart();
        } else {
            self.check_stack(0);
        }
        let index = self.push(Token::Break { blank, offset }, -self.right_total);
        self.scan_stack.push_back(index);
        self.right_total += blank;
    }

    fn begin(&mut self, offset: isize, consistent: bool) {
        if self.scan_stack.is_empty() {
            self.restart();
        }
        let index = self.push(Token::Begin { offset, consistent }, -self.right_total);
        self.scan_stack.push_back(index);
    }

    /// Closes the innermost box.
    pub(crate) fn end(&mut self) {
        if self.scan_stack.is_empty() {
            self.print_end();
        } else {
            let index = self.push(Token::End, -1);
            self.scan_stack.push_back(index);
        }
    }

    /// Prints what is left and returns the text.
    pub(crate) fn finish(mut self) -> String {
        if !self.scan_stack.is_empty() {
            self.check_stack(0);
            self.advance_left();
        }
        self.out
    }

    fn restart(&mut self) {
        self.left_total = 1;
        self.right_total = 1;
        self.first += self.buf.len();
        self.buf.clear();
    }

    fn push(&mut self, token: Token<'a>, size: isize) -> usize {
        self.buf.push_back(Entry { token, size });
        self.first + self.buf.len() - 1
    }

    /// While the buffered text cannot fit, gives up on the oldest pending
    /// break or box (it is too big) and prints what can be printed.
    fn check_stream(&mut self) {
        while self.right_total - self.left_total > self.space {
            if self.scan_stack.front() == Some(&self.first) {
                self.scan_stack.pop_front();
                self.buf[0].size = INFINITY;
            }
            self.advance_left();
            if self.buf.is_empty() {
                break;
            }
        }
    }

    /// Prints buffered tokens from the front while their sizes are known.
    fn advance_left(&mut self) {
        while self.buf.front().map_or(false, |e| e.size >= 0) {
            let entry = self.buf.pop_front().unwrap();
            self.first += 1;
            match entry.token {
                Token::Word(word) => {
                    self.left_total += word.len() as isize;
                    self.print_word(&word);
                }
                Token::Break { blank, offset } => {
                    self.left_total += blank;
                    self.print_break(blank, offset, entry.size);
                }
                Token::Begin { offset, consistent } => self.print_begin(offset, consistent, entry.size),
                Token::End => self.print_end(),
            }
        }
    }

    /// Fixes the sizes of the pending breaks and boxes that just closed.
    fn check_stack(&mut self, mut depth: usize) {
        while let Some(&index) = self.scan_stack.back() {
            let entry = &mut self.buf[index - self.first];
            match entry.token {
                Token::Begin { .. } => {
                    if depth == 0 {
                        break;
                    }
                    self.scan_stack.pop_back();
                    entry.size += self.right_total;
                    depth -= 1;
                }
                Token::End => {
                    self.scan_stack.pop_back();
                    entry.size = 1;
                    depth += 1;
                }
                _ => {
                    self.scan_stack.pop_back();
                    entry.size += self.right_total;
                    if depth == 0 {
                        break;
                    }
                }
            }
        }
    }

    fn print_begin(&mut self, offset: isize, consistent: bool, size: isize) {
        if size > self.space {
            self.print_stack.push(Frame::Broken { indent: self.indent, consistent });
            self.indent = (self.indent as isize + offset).max(0) as usize;
        } else {
            self.print_stack.push(Frame::Fits);
        }
    }

    fn print_end(&mut self) {
        if let Some(Frame::Broken { indent, .. }) = self.print_stack.pop() {
            self.indent = indent;
        }
    }

    fn print_break(&mut self, blank: isize, offset: isize, size: isize) {
        let fits = match self.print_stack.last() {
            Some(Frame::Fits) => true,
            Some(Frame::Broken { consistent: true, .. }) => false,
            Some(Frame::Broken { consistent: false, .. }) | None => size <= self.space,
        };
        if fits {
            self.pending += blank;
            self.space -= blank;
        } else {
            self.out.push('\n');
            let indent = (self.indent as isize + offset).max(0);
            self.pending = indent;
            self.space = (MARGIN - indent).max(MIN_SPACE);
        }
    }

    fn print_word(&mut self, word: &str) {
        self.out.extend(std::iter::repeat(' ').take(self.pending as usize));
        self.pending = 0;
        self.out.push_str(word);
        self.space -= word.len() as isize;
    }
}
