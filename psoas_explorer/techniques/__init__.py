"""The technique catalog: filtering, sorting and the safety screen."""
