//! The Tauri commands: one adapter per entry of `holdfast_commands::with_commands!`, generated.
//! Each hands its arguments to the `holdfast_app::App` method of the same name and returns its
//! answer; the kind in the list says where it runs (main thread, async runtime, or a blocking
//! thread for key derivation, so the window stays responsive). Nothing here decides anything.

use holdfast_app::wire::*;
use holdfast_app::{App, AppError};
use tauri::{AppHandle, Manager, State};

/// Runs `work` on a blocking thread (key derivation must not hold up the async runtime).
async fn blocking<T: Send + 'static>(
    handle: AppHandle,
    work: impl FnOnce(&App) -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(move || work(&handle.state::<App>()))
        .await
        .map_err(|_| IpcError::from(AppError::Interrupted))?
}

macro_rules! adapter {
    (main $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty) => {
        #[tauri::command]
        pub fn $name(app: State<'_, App>, $( $arg: $ty ),*) -> Result<$ret, IpcError> {
            app.$name($( $arg ),*)
        }
    };
    (quick $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty) => {
        #[tauri::command(async)]
        pub fn $name(app: State<'_, App>, $( $arg: $ty ),*) -> Result<$ret, IpcError> {
            app.$name($( $arg ),*)
        }
    };
    (blocking $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty) => {
        #[tauri::command]
        pub async fn $name(handle: AppHandle, $( $arg: $ty ),*) -> Result<$ret, IpcError> {
            blocking(handle, move |app| app.$name($( $arg ),*)).await
        }
    };
}

macro_rules! adapters {
    ($( $kind:ident $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty ; )*) => {
        $( adapter!($kind $name ( $( $arg: $ty ),* ) -> $ret); )*
    };
}
holdfast_commands::with_commands!(adapters);

/// The handler list for `tauri::Builder::invoke_handler`, from the same command list.
macro_rules! handler {
    ($( $kind:ident $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty ; )*) => {
        tauri::generate_handler![ $( $crate::commands::$name ),* ]
    };
}
pub(crate) use handler;
