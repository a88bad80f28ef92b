//! Rule codes: an enum, so a code that does not exist is a compile error, not a silent miss.
//! A code is stable once released; `CUA1xx` ARM/Bicep tracking, `CUA2xx` Terraform, `CUA3xx`
//! SDK/CLI, `CUA4xx` what the programme asks beyond the ID, `CUA0xx` the run itself.

macro_rules! codes {
    ($($c:ident),* $(,)?) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($c),*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$c),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$c => stringify!($c)),*
                }
            }
        }
    };
}

codes!(
    CUA001,
    CUA002,
    CUA003,
    CUA004,
    CUA005,
    CUA101,
    CUA102,
    CUA103,
    CUA104,
    CUA105,
    CUA106,
    CUA107,
    CUA108,
    CUA109,
    CUA110,
    CUA111,
    CUA112,
    CUA113,
    CUA114,
    CUA115,
    CUA116,
    CUA117,
    CUA118,
    CUA119,
    CUA201,
    CUA202,
    CUA301,
    CUA401,
    CUA402,
    CUA403,
);

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
