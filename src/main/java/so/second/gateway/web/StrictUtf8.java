package so.second.gateway.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for request bodies. Jackson's byte parser decodes overlong forms
 * ({@code C0 BC} becomes {@code <}) and drops code points above U+10FFFF instead of
 * refusing them, so a body could smuggle characters past any check made on its bytes. The
 * JDK's decoder, set to report errors, refuses overlong forms, encoded surrogates, code
 * points above U+10FFFF and truncated sequences: a body is checked with it before it is
 * parsed.
 */
public final class StrictUtf8 {

	/** The detail of the 400 for a body that is not UTF-8. */
	public static final String INVALID_DETAIL = "the body is not valid UTF-8: overlong forms, surrogates, code points "
			+ "above U+10FFFF and truncated sequences are refused";

	private StrictUtf8() {
	}

	/** Whether the bytes are well-formed UTF-8. */
	public static boolean isValid(byte[] bytes) {
		if (isAscii(bytes)) {
			return true;
		}
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	// Most bodies are ASCII; they need no decoding to know.
	private static boolean isAscii(byte[] bytes) {
		for (byte b : bytes) {
			if (b < 0) {
				return false;
			}
		}
		return true;
	}

}
