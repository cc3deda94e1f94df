package so.second.gateway.account;

/**
 * Published after a successful login, so that settings can send the {@code $identify} of
 * a non-anonymized user without account knowing about analytics.
 *
 * @param account the user who logged in
 * @param globalPrivacyControl whether the login request carried {@code Sec-GPC: 1}
 */
public record UserLoggedIn(Account account, boolean globalPrivacyControl) {
}
