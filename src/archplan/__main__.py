from archplan.cli import main

raise SystemExit(main())
