package so.second.gateway.capture;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the capture endpoint ({@code second.capture.*}).
 *
 * @param maxBodySize the largest request body read; larger ones answer 413
 * @param ratePerSecond events one user may send per second, sustained, on one instance
 * @param rateBurst events one user may send at once before the sustained rate applies
 * @param rateIdleEviction how long an idle user's rate state is kept in memory
 */
@Validated
@ConfigurationProperties("second.capture")
record CaptureProperties(@NotNull @DefaultValue("64KB") DataSize maxBodySize,
		@Min(1) @DefaultValue("100") int ratePerSecond, @Min(1) @DefaultValue("1000") int rateBurst,
		@NotNull @DefaultValue("10m") Duration rateIdleEviction) {
}
