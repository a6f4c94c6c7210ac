package io.nightshift.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A where condition is one expression: text that would leave its parentheses, or end the statement, is refused. */
class WhereConditionTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "level <> 'error'",
            "level IN ('debug', 'info') AND (source = 'api' OR source = 'worker')",
            "message <> 'a) OR (b'",
            "message NOT LIKE '%--%' AND note <> '/* not a comment */'",
            "message <> 'it''s ; fine'",
            "\"weird)name\" IS NULL",
            "\"quo\"\"ted\" = 1",
            "body <> $$ ) OR ( $$",
            "body <> $tag$ ; $tag$",
            "message <> E'\\' ) OR ( \\''",
            "coalesce(a, b) > 3 AND f(g(h(1))) = 2",
            "payload->>'kind' = 'x'",
            "amount$1 > 0",
            "message <> 'what?' AND \"odd?name\" IS NULL AND body <> $$?|$$",
            "jsonb_exists(metadata, 'keep')"
    })
    void acceptsOneCondition(String where) {
        assertThat(WhereCondition.problem(where)).as(where).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1=1) OR (1=1",
            "level <> 'error') OR (true",
            ") OR (",
            "true) --",
            "a = 1 -- and the rest",
            "a = 1 /* comment */",
            "a = 1; DELETE FROM users",
            "(a = 1",
            "a = 'unterminated",
            "\"unterminated = 1",
            "body <> $$ never closed",
            "message <> E'\\'') OR (true"
    })
    void refusesTextThatLeavesItsParentheses(String where) {
        assertThat(WhereCondition.problem(where)).as(where).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata ? 'keep'", "NOT metadata ?| array['keep', 'pin']", "metadata ?& array['a']", "a = ?"})
    void refusesAQuestionMarkOutsideLiteralsNamingTheFunctionsToUseInstead(String where) {
        assertThat(WhereCondition.problem(where)).as(where).get().asString().contains("jsonb_exists(column, 'key')");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "path <> 'C:\\'                           | path <> E'C:\\\\'",
            "path IN ('a\\b', 'plain') AND x = 'it''s' | path IN (E'a\\\\b', 'plain') AND x = 'it''s'",
            "path <> E'C:\\\\'                      | path <> E'C:\\\\'",
            "body <> $$a\\b$$ AND \"c\\d\" = 1       | body <> $$a\\b$$ AND \"c\\d\" = 1",
            "u <> U&'d\\0061t'                        | u <> U&'d\\0061t'",
            "level <> 'error'                          | level <> 'error'"
    })
    void readAlikeWritesBackslashesSoThatEveryServerReadsTheSameLiteral(String where, String sent) {
        assertThat(WhereCondition.readAlike(where.strip())).isEqualTo(sent.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1=1) OR (1=1"})
    void theTaskValidationNamesTheField(String where) {
        RetentionTask task = new RetentionTask("logs", "created_at", "5d", null, null, where, null, null, null, null, null);
        assertThat(task.validate("task.retention")).extracting(FieldError::field).containsExactly("task.retention.where");
    }
}
