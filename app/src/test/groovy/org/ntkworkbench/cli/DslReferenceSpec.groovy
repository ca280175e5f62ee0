package org.ntkworkbench.cli

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.runtime.DslReference
import org.ntkworkbench.runtime.Workbench
import spock.lang.Specification

/** docs/dsl-reference.md is exactly what the registered words generate: a word without an entry fails the build. */
class DslReferenceSpec extends Specification {

    def "the DSL reference documents every registered word"() {
        given:
        def wb = Workbench.start([])
        Path doc = Path.of('..', 'docs', 'dsl-reference.md')
        String generated = DslReference.markdown(wb)
        if (Boolean.getBoolean('ntk.regenerateDocs')) {
            Files.writeString(doc, generated)
        }

        expect: 'every word has a row'
        String text = Files.readString(doc)
        wb.words().keySet().every { text.contains("| `$it` |") }

        and: 'and the page is current'
        text == generated
    }
}
