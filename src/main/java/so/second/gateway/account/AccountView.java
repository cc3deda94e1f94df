package so.second.gateway.account;

/**
 * A user as the API shows it; {@code id} is a string.
 */
record AccountView(String id, String email, String name, boolean onboarded) {

	static AccountView of(Account account) {
		return new AccountView(account.id().toString(), account.email(), account.name(), account.onboarded());
	}

}
