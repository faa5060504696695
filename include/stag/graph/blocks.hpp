#pragma once
// Composable model files. block<Entries...> names a group of entries (layer specs or other blocks);
// repeat<N, Entries...> is a block of Entries N times; sequential<Entries...> splices every block in place
// and is the flat network<Specs...> of what remains, so a network written with blocks is the very same
// type as its flat list: same layers, same weights file, same training run.
#include <cstddef>
#include <type_traits>
#include <utility>

namespace stag {

template <class... Entries>
struct block {};

template <class... Specs>
class network;

namespace detail {
template <class... T>
struct type_list {};
template <class... A, class... B>
type_list<A..., B...> operator+(type_list<A...>, type_list<B...>);

// One fold per level of nesting: no recursion over the length of the list.
template <class Entry>
struct spliced {
    using type = type_list<Entry>;
};
template <class... Entries>
struct spliced<block<Entries...>> {
    using type = decltype((type_list<>{} + ... + typename spliced<Entries>::type{}));
};

template <class List>
struct network_of;
template <class... Specs>
struct network_of<type_list<Specs...>> {
    using type = network<Specs...>;
};

template <class Block, std::size_t... I>
auto repeated(std::index_sequence<I...>) -> block<std::conditional_t<I < sizeof...(I), Block, void>...>;
}  // namespace detail

template <std::size_t N, class... Entries>
using repeat = decltype(detail::repeated<block<Entries...>>(std::make_index_sequence<N>{}));

template <class... Entries>
using sequential = typename detail::network_of<typename detail::spliced<block<Entries...>>::type>::type;

}  // namespace stag
