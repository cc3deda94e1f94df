package so.second.gateway.account;

import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.security.jackson.SecurityJacksonModules;
import tools.jackson.databind.json.JsonMapper;

/**
 * How session attributes are stored: as JSON written by Spring Security's Jackson
 * modules, not with Java serialization, so reading a row of
 * {@code SPRING_SESSION_ATTRIBUTES} never runs Java deserialization on bytes from the
 * database. The modules admit only the types they know (the security context,
 * authentication tokens, users, authorities, request details) when reading.
 *
 * <p>
 * Rows written with Java serialization before this change (they start with the stream
 * magic {@code AC ED}) are still read that way, so a deploy signs nobody out; each is
 * rewritten as JSON when its session next changes, and all are gone once the session
 * timeout (14 days) has passed since the deploy. The fallback can then be removed.
 */
final class SessionAttributeConversion {

	private SessionAttributeConversion() {
	}

	static GenericConversionService create(ClassLoader classLoader) {
		JsonMapper json = JsonMapper.builder().addModules(SecurityJacksonModules.getModules(classLoader)).build();
		DeserializingConverter javaSerialized = new DeserializingConverter(classLoader);
		GenericConversionService conversion = new GenericConversionService();
		conversion.addConverter(Object.class, byte[].class, json::writeValueAsBytes);
		conversion.addConverter(byte[].class, Object.class, (bytes) -> isJavaSerialized(bytes)
				? javaSerialized.convert(bytes) : json.readValue(bytes, Object.class));
		return conversion;
	}

	static boolean isJavaSerialized(byte[] bytes) {
		return bytes.length >= 2 && bytes[0] == (byte) 0xAC && bytes[1] == (byte) 0xED;
	}

}
