/// Declarative shadow DOM: `<template shadowrootmode="open">` (or the older `shadowroot="open"`)
/// is not an inert template but the shadow root of the element it sits in, which browsers show
/// (web components rendered on the server: Lit, Stencil, Enhance). The walk skips a `<template>`
/// whole, so such a component's text was lost. The prescan reads these as `<div>`s instead, start
/// and end tag, their content parsed as any other; the host's own children (shown through the
/// root's `<slot>`s) follow it in the text.
extension HTMLPrescan {
    static let template = key("template")

    /// A `<template>` (its `<` at `at`, its `>` at `end - 1`, its `</template>` at `close`) that
    /// declares a shadow root: renamed `div`, its end tag on its way (`closeShadowRoots`).
    mutating func opensShadowRoot(_ p: UnsafeBufferPointer<UInt8>, at: Int, end: Int, close: Int) -> Bool {
        var declares = false
        MarkupBytes.forEachAttribute(p, from: at + 1, to: end - 1) { n, _ in
            if MarkupBytes.named(p, n, "shadowrootmode") || MarkupBytes.named(p, n, "shadowroot") { declares = true }
        }
        guard declares, close + 10 <= p.count else { return false }
        rewrite((at + 1)..<(at + 9), "div".utf8)
        shadowRootEnds.append(close)
        return true
    }

    /// At the `<` at `i`: the `</template>` of the innermost open shadow root, if it is this one,
    /// becomes `</div>`. (`readable`: `i` is outside a script, a style, a comment or cut content.
    /// A root's end tag inside one — a `</template>` in a script's string that the nested count
    /// took for it — is left as it is: the renamed root then closes with its parent, no text lost.)
    mutating func closeShadowRoots(_ p: UnsafeBufferPointer<UInt8>, at i: Int, readable: Bool) {
        while let e = shadowRootEnds.last, e < i { shadowRootEnds.removeLast() }
        guard readable, shadowRootEnds.last == i else { return }
        shadowRootEnds.removeLast()
        rewrite((i + 2)..<(i + 10), "div".utf8)
    }
}
