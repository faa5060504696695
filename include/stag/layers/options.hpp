#pragma once
// Named, order-independent layer options, for layers whose positional template arguments hurt:
// conv<64, kernel<3, 3>, same_padding, l2<std::ratio<1, 100>>>. Each option is a type of its own kind;
// a layer takes at most one option of each kind, the defaults fill the rest, and an option of no kind
// the layer knows is named in the error.
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "stag/layers/layer.hpp"  // padding

namespace stag {

template <std::size_t H, std::size_t W = H>
struct kernel {
    static constexpr std::size_t h = H, w = W;
};
template <std::size_t S>
struct strides {
    static constexpr std::size_t value = S;
};
template <padding P>
struct padded {
    static constexpr padding value = P;
};
using same_padding = padded<padding::same>;
using valid_padding = padded<padding::valid>;

template <class T>
struct is_kernel : std::false_type {};
template <std::size_t H, std::size_t W>
struct is_kernel<kernel<H, W>> : std::true_type {};
template <class T>
struct is_strides : std::false_type {};
template <std::size_t S>
struct is_strides<strides<S>> : std::true_type {};
template <class T>
struct is_padding : std::false_type {};
template <padding P>
struct is_padding<padded<P>> : std::true_type {};

// Instantiated only for an option of no kind the layer takes; the compiler prints the option with the message.
template <class Layer, class Option>
struct unknown_layer_option {
    static_assert(std::is_void_v<Option>, "stag: this option is not one the layer takes; the line above names "
                                          "'unknown_layer_option<layer, option>'");
};
// Instantiated only for a kind given twice.
template <class Layer, class Kind>
struct option_given_twice {
    static_assert(std::is_void_v<Kind>, "stag: a layer option of this kind is given twice; the line above names "
                                        "'option_given_twice<layer, kind>'");
};

namespace detail {
template <template <class> class Kind, class... Options>
inline constexpr std::size_t options_of_kind = (std::size_t{Kind<Options>::value} + ... + 0);

// The first option of Kind, or Default.
template <template <class> class Kind, class Default, class... Options>
using option_or = std::tuple_element_t<
    0, decltype(std::tuple_cat(std::declval<std::conditional_t<Kind<Options>::value, std::tuple<Options>, std::tuple<>>>()...,
                               std::declval<std::tuple<Default>>()))>;

template <class Option, template <class> class... Kinds>
inline constexpr bool of_any_kind = (Kinds<Option>::value || ...);

// Checks that every option is of exactly one of Kinds, and that no kind is given twice.
template <class Layer, class Options, template <class> class... Kinds>
struct check_options;
template <class Layer, class... Options, template <class> class... Kinds>
struct check_options<Layer, std::tuple<Options...>, Kinds...> {
    static constexpr bool known = (sizeof(std::conditional_t<of_any_kind<Options, Kinds...>, std::true_type,
                                                             unknown_layer_option<Layer, Options>>) + ... + 0) > 0;
    static constexpr bool once = (sizeof(std::conditional_t<(options_of_kind<Kinds, Options...> <= 1), std::true_type,
                                                            option_given_twice<Layer, Kinds<void>>>) + ... + 0) > 0;
};
}  // namespace detail

}  // namespace stag
