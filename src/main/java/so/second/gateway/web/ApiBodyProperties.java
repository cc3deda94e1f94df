package so.second.gateway.web;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The request-body limit of every API route but capture ({@code second.api.*}). Sign-up,
 * login and the settings take a few hundred bytes; a small limit means a hostile body
 * costs little before it is refused. Capture has its own, larger limit
 * ({@code second.capture.max-body-size}).
 *
 * @param maxBodySize the largest body read; larger ones answer 413
 */
@Validated
@ConfigurationProperties("second.api")
public record ApiBodyProperties(@NotNull @DefaultValue("8KB") DataSize maxBodySize) {
}
