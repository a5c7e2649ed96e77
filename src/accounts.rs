//! `user add`, `user set-password` and `token`: account administration from the command line.

use std::io::{BufRead, IsTerminal};

use graphql::auth::jwt::TokenService;
use graphql::user::service::{NewUser, add_user_from_command_line, mint_token};
use sea_orm::DatabaseConnection;

use crate::config::{TokenArgs, UserAddArgs, UserSetPasswordArgs};
use crate::startup::token_settings;

/// Reads the password from a hidden prompt (asked twice) or, when piped, the first stdin line.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let password = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Repeat password: ")?;
        anyhow::ensure!(password == again, "the passwords differ");
        Ok(password)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

pub async fn add_user(db: &DatabaseConnection, args: UserAddArgs) -> anyhow::Result<()> {
    let password = read_password()?;
    let user = add_user_from_command_line(
        db,
        NewUser {
            email: args.email,
            display_name: args.name,
            password,
            role: args.role.into(),
            country_iso3: args.country,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{} ({})", e.message(), e.code()))?;
    println!("created user {} ({:?}) with id {}", user.email, user.role, user.id);
    Ok(())
}

pub async fn set_password(db: &DatabaseConnection, args: UserSetPasswordArgs) -> anyhow::Result<()> {
    let password = read_password()?;
    let user = graphql::user::service::set_password(db, &args.email, password)
        .await
        .map_err(|e| anyhow::anyhow!("{} ({})", e.message(), e.code()))?;
    println!("password set for {} (tokens issued before no longer work)", user.email);
    Ok(())
}

pub async fn print_token(db: &DatabaseConnection, args: TokenArgs) -> anyhow::Result<()> {
    let development = args.auth.environment == crate::config::Environment::Development;
    anyhow::ensure!(
        args.auth.jwt_secret.is_some(),
        "set JWT_SECRET to the server's secret: tokens are only valid when both sign with the same one"
    );
    let tokens = TokenService::new(token_settings(&args.auth, development)?);
    let (token, _expires_at) =
        mint_token(db, &tokens, &args.email).await.map_err(|e| anyhow::anyhow!("{} ({})", e.message(), e.code()))?;
    println!("{token}");
    Ok(())
}
