//! The IPC contract's command half: every command of `holdfast_commands::with_commands!` is an
//! [`App`] method with exactly the listed arguments and result (checked by the compiler here),
//! and the UI gets a typed map of them (`ui/src/lib/commands.ts`, checked by `tsc`).

use ts_rs::TS;

#[allow(unused_imports)]
use crate::wire::*;
use crate::{App, IpcError};

/// Path of the generated command map, relative to the workspace root.
pub const COMMANDS_PATH: &str = "ui/src/lib/commands.ts";

macro_rules! check_use_cases {
    ($( $kind:ident $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty ; )*) => {
        /// Never called: it compiles only if every listed command is an `App` method taking
        /// exactly the listed arguments and returning `Result<the listed result, IpcError>`.
        #[allow(dead_code)]
        fn every_command_is_a_use_case() {
            $( let _: fn(&App, $( $ty ),*) -> Result<$ret, IpcError> = App::$name; )*
        }
    };
}
holdfast_commands::with_commands!(check_use_cases);

/// One command's name, arguments (as the UI names them) and result, as TypeScript types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandType {
    pub name: &'static str,
    pub args: Vec<(String, String)>,
    pub result: String,
}

/// Tauri names a command's arguments in camelCase on the JavaScript side.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// ts-rs writes 64-bit integers as `bigint`; over IPC they are JSON numbers (record ids and
/// milliseconds, all far below 2^53).
fn ts(name: String) -> String {
    name.replace("bigint", "number")
}

/// A command that answers nothing (`()`, which ts-rs names `null`) resolves to `undefined`.
fn result(name: String) -> String {
    match ts(name) {
        n if n == "null" => "void".to_owned(),
        n => n,
    }
}

macro_rules! command_types {
    ($( $kind:ident $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty ; )*) => {
        /// Every command with its TypeScript types, in the list's order.
        pub fn command_types() -> Vec<CommandType> {
            vec![$( CommandType {
                name: stringify!($name),
                args: vec![$( (camel(stringify!($arg)), ts(<$ty as TS>::name())) ),*],
                result: result(<$ret as TS>::name()),
            } ),*]
        }
    };
}
holdfast_commands::with_commands!(command_types);

/// The full text of `ui/src/lib/commands.ts`.
pub fn typescript() -> String {
    let commands = command_types();
    let mut names = std::collections::BTreeSet::new();
    for c in &commands {
        let types = c.args.iter().map(|(_, t)| t).chain([&c.result]);
        for t in types {
            for word in t.split(|ch: char| !ch.is_ascii_alphanumeric()) {
                if word.starts_with(|ch: char| ch.is_ascii_uppercase()) && word != "Array" {
                    names.insert(word.to_owned());
                }
            }
        }
    }
    let mut out = String::from(
        "// Generated from holdfast-commands' list by holdfast-app. Do not edit by hand:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p holdfast-app --lib bindings` instead.\n\n",
    );
    out.push_str("import type {\n");
    for name in &names {
        out.push_str(&format!("  {name},\n"));
    }
    out.push_str("} from './bindings';\n\n");
    out.push_str(
        "/** Every command: its arguments (as Tauri names them) and what it returns. */\n\
         export type Commands = {\n",
    );
    for c in &commands {
        let args = if c.args.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            let fields: Vec<String> = c.args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
            format!("{{ {} }}", fields.join("; "))
        };
        out.push_str(&format!(
            "  {}: {{ args: {args}; result: {} }};\n",
            c.name, c.result
        ));
    }
    out.push_str("};\n\nexport type Command = keyof Commands;\n");
    out
}

macro_rules! dispatcher {
    ($( $kind:ident $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty ; )*) => {
        /// Calls the command `name` with `args` as the UI sends them (a JSON object, arguments
        /// in camelCase), the way the shell's Tauri adapters do: each argument is taken from its
        /// key and deserialised into its type (a missing key counts as `null`), then the use
        /// case runs and its answer is serialised. `None` for a name not in the list. For tests
        /// through the command layer without a window (`tests/it/hostile.rs`); the shell itself
        /// goes through Tauri.
        pub fn dispatch(
            app: &App,
            name: &str,
            args: &serde_json::Value,
        ) -> Option<Result<serde_json::Value, IpcError>> {
            let bad = |arg: &str, e: serde_json::Error| {
                IpcError::new(crate::ErrorCode::InvalidInput, format!("{arg}: {e}"))
            };
            match name {
                $( stringify!($name) => Some((|| {
                    $(
                        let key = camel(stringify!($arg));
                        let raw = args.get(&key).cloned().unwrap_or(serde_json::Value::Null);
                        let $arg: $ty = serde_json::from_value(raw).map_err(|e| bad(&key, e))?;
                    )*
                    let answer: $ret = app.$name($( $arg ),*)?;
                    serde_json::to_value(answer).map_err(|e| bad("answer", e))
                })()), )*
                _ => None,
            }
        }
    };
}
holdfast_commands::with_commands!(dispatcher);

/// Path of the generated allow-list the isolation hook reads, relative to the workspace root.
pub const ISOLATION_PATH: &str = "ui/isolation/commands.js";

/// The full text of `ui/isolation/commands.js`: every command the UI may call, with the
/// argument names it may send (security review M6). The isolation hook (`ui/isolation/index.js`)
/// turns any other call into `refused`.
pub fn isolation_script() -> String {
    let mut out = String::from(
        "// Generated from holdfast-commands' list by holdfast-app. Do not edit by hand:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p holdfast-app --lib bindings` instead.\n\
         // The commands the UI may call, and the arguments each takes (as Tauri names them).\n\n\
         window.__HOLDFAST_COMMANDS__ = Object.freeze({\n",
    );
    for c in command_types() {
        let args: Vec<String> = c.args.iter().map(|(n, _)| format!("'{n}'")).collect();
        out.push_str(&format!("  {}: [{}],\n", c.name, args.join(", ")));
    }
    out.push_str("});\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_names_every_command_with_camel_case_arguments() {
        let types = command_types();
        assert_eq!(types.len(), holdfast_commands::NAMES.len());
        let recover = types.iter().find(|c| c.name == "recover");
        assert_eq!(
            recover.map(|c| c.args.clone()),
            Some(vec![
                ("code".to_owned(), "string".to_owned()),
                ("newPassphrase".to_owned(), "string".to_owned()),
            ])
        );
        let add_use = types.iter().find(|c| c.name == "add_use");
        assert_eq!(add_use.map(|c| c.result.as_str()), Some("number"));
        assert_eq!(camel("done_order"), "doneOrder");
    }
}
