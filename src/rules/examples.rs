//! Rule examples: every rule carries sentences it must (or must not)
//! handle in a stated way. Each stage runs its own examples through its
//! compiled matcher and reports failures in this one form, which both the
//! unit tests and `newsx rules test` print.

use std::fmt;

/// One example that did not give what its rule promises.
#[derive(Clone, Debug, PartialEq)]
pub struct ExampleFailure {
    /// "file:line" of the rule.
    pub place: String,
    /// The rule's id or name.
    pub rule: String,
    /// The example text.
    pub example: String,
    /// What the example expects.
    pub want: String,
    /// What the rules gave instead.
    pub got: String,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: rule {}: {:?}\n    want {}\n    got  {}",
            self.place, self.rule, self.example, self.want, self.got
        )
    }
}

/// The outcome of running a set of examples.
#[derive(Debug, Default)]
pub struct ExampleReport {
    /// How many examples ran.
    pub count: usize,
    pub failures: Vec<ExampleFailure>,
}

impl ExampleReport {
    /// Records one example run: a failure when `failure` is some.
    pub fn record(&mut self, failure: Option<ExampleFailure>) {
        self.count += 1;
        self.failures.extend(failure);
    }

    pub fn extend(&mut self, other: ExampleReport) {
        self.count += other.count;
        self.failures.extend(other.failures);
    }

    /// Panics with every failure listed (for tests).
    pub fn assert_ok(&self, what: &str) {
        assert!(self.count > 0, "{what}: no examples ran");
        let listed: Vec<String> = self.failures.iter().map(ToString::to_string).collect();
        assert!(
            self.failures.is_empty(),
            "{what}: {} of {} examples failed:\n{}",
            self.failures.len(),
            self.count,
            listed.join("\n")
        );
    }
}
