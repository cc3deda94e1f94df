package so.second.gateway.account;

import java.util.UUID;

/**
 * A user of the product.
 *
 * @param id the user id
 * @param email the email they signed up with
 * @param name their display name, or {@code null}
 * @param onboarded whether they finished onboarding; analytics and settings need it
 */
public record Account(UUID id, String email, String name, boolean onboarded) {
}
