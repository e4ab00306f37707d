// SPDX-License-Identifier: GPL-2.0
/*
 * The classic first kernel module: greets someone when loaded and says goodbye when removed.
 * `insmod hello.ko who=Linus` sets the greeting's name; it can be read back from
 * /sys/module/hello/parameters/who.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static char *who = "world";
module_param(who, charp, 0444);
MODULE_PARM_DESC(who, "Whom to greet");

static int __init hello_init(void)
{
	pr_info("hello: Hello, %s!\n", who);
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("hello: Goodbye, %s!\n", who);
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("ModKit");
MODULE_DESCRIPTION("Says hello to whoever is named in the who= parameter");
